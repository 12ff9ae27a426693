package pgprovider

// Integration subtest: a rename through `pulumi up`, then `pulumi refresh`
// and `pulumi destroy`, with the ids kept the way the engine keeps them
// (deploy.UpdateStep keeps the old id, deploy.RefreshStep sends it to Read
// and adopts the id Read answers).

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

// engineState is what the engine records for a resource: an id and outputs.
type engineState struct {
	id   string
	outs resource.PropertyMap
}

// renameThenRefreshAndDelete is the subtest "rename then refresh and delete".
func (it *integration) renameThenRefreshAndDelete(t *testing.T) {
	c, srv := it.c, it.srv
	create := func(typ, name string, in resource.PropertyMap) (resource.PropertyMap, engineState) {
		t.Helper()
		in = c.MustCheck(typ, name, nil, in)
		id, outs, err := c.Create(typ, name, in, false)
		if err != nil {
			t.Fatalf("create %s: %v", typ, err)
		}
		if got := props.StringOr(outs, "id", ""); got != id {
			t.Fatalf("%s: the outputs carry the id as the bridge does: %q, want %q", typ, got, id)
		}
		return in, engineState{id, outs}
	}
	// up #1
	roleIn, role := create(RoleToken, "mv", pm(map[string]interface{}{"name": "gh_mv_a"}))
	dbIn, db := create(DatabaseToken, "mvdb", pm(map[string]interface{}{"name": "gh_mv_db", "owner": "gh_mv_a"}))

	// up #2: rename both; the engine keeps the old ids.
	rename := func(typ, name string, st *engineState, in resource.PropertyMap, newName string) {
		t.Helper()
		news := c.MustCheck(typ, name, in, func() resource.PropertyMap {
			m := in.Copy()
			m["name"] = resource.NewStringProperty(newName)
			return m
		}())
		if d := c.Diff(typ, name, st.id, st.outs, news); len(d.GetReplaces()) != 0 || len(d.GetDiffs()) != 1 {
			t.Fatalf("%s rename must be an in-place update: %v", typ, d)
		}
		prev, err := c.Update(typ, name, st.id, st.outs, news, true)
		if err != nil || props.StringOr(prev, "id", "") != st.id {
			t.Fatalf("%s preview keeps the planned id %q: %v %v", typ, st.id, err, prev["id"])
		}
		outs, err := c.Update(typ, name, st.id, st.outs, news, false)
		if err != nil {
			t.Fatalf("update %s: %v", typ, err)
		}
		if got := props.StringOr(outs, "id", ""); got != newName {
			t.Fatalf("%s: after the rename the id output is %q, want %q", typ, got, newName)
		}
		st.outs = outs // UpdateStep: new outputs, old id
	}
	rename(RoleToken, "mv", &role, roleIn, "gh_mv_b")
	rename(DatabaseToken, "mvdb", &db, dbIn, "gh_mv_db2")
	if role.id != "gh_mv_a" || db.id != "gh_mv_db" {
		t.Fatal("the engine's ids are still the old ones")
	}

	// refresh: Read gets the old id and must find the renamed resources.
	for _, r := range []struct {
		typ, name, want string
		st              *engineState
	}{{RoleToken, "mv", "gh_mv_b", &role}, {DatabaseToken, "mvdb", "gh_mv_db2", &db}} {
		id, outs, _, err := c.Read(r.typ, r.name, r.st.id, r.st.outs, nil)
		if err != nil {
			t.Fatalf("refresh %s: %v", r.typ, err)
		}
		if id != r.want || props.StringOr(outs, "name", "") != r.want || props.StringOr(outs, "id", "") != r.want {
			t.Fatalf("refresh %s after a rename: id %q, outputs %v; want %q (not dropped from the state)", r.typ, id, outs, r.want)
		}
		*r.st = engineState{id, outs} // RefreshStep adopts the id Read answers
	}

	// destroy: database first (it depends on the role), with the refreshed ids.
	if err := c.Delete(DatabaseToken, "mvdb", db.id, db.outs); err != nil {
		t.Fatalf("delete database: %v", err)
	}
	if err := c.Delete(RoleToken, "mv", role.id, role.outs); err != nil {
		t.Fatalf("delete role: %v", err)
	}
	if got := srv.query(t, "postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'gh_mv%'"); got[0] != "0" {
		t.Fatalf("databases left behind: %v", got)
	}
	if got := srv.query(t, "postgres", "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'gh_mv%'"); got[0] != "0" {
		t.Fatalf("roles left behind: %v", got)
	}
}
