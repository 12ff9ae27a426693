package pgprovider

// Integration subtests for databases and schemas.

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

// database is the subtest "database".
func (it *integration) database(t *testing.T) {
	c, srv, pw2 := it.c, it.srv, it.pw2
	in := c.MustCheck(DatabaseToken, "appdb", nil, pm(map[string]interface{}{"name": "gh_appdb", "owner": "gh_app"}))
	_, prev, err := c.Create(DatabaseToken, "appdb", in, true)
	if err != nil || !props.IsUnknown(prev, "encoding") {
		t.Fatalf("preview must leave encoding unknown: %v %v", err, prev)
	}
	id, outs, err := c.Create(DatabaseToken, "appdb", in, false)
	if err != nil {
		t.Fatal(err)
	}
	if id != "gh_appdb" || props.StringOr(outs, "encoding", "") != "UTF8" || props.StringOr(outs, "owner", "") != "gh_app" ||
		props.StringOr(outs, "template", "") != "template0" {
		t.Fatalf("database outputs %v", outs)
	}
	if err := srv.canLogin("gh_app", pw2, "gh_appdb"); err != nil {
		t.Fatalf("owner cannot connect: %v", err)
	}
	if d := c.Diff(DatabaseToken, "appdb", id, outs, in); len(d.GetDiffs()) != 0 {
		t.Fatalf("no diff expected: %v", d.GetDiffs())
	}
	enc := in.Copy()
	enc["encoding"] = resource.NewStringProperty("LATIN1")
	if d := c.Diff(DatabaseToken, "appdb", id, outs, enc); len(d.GetReplaces()) != 1 || d.GetReplaces()[0] != "encoding" {
		t.Fatalf("encoding change must replace: %v", d)
	}
	lim := in.Copy()
	lim["connectionLimit"] = resource.NewNumberProperty(20)
	d := c.Diff(DatabaseToken, "appdb", id, outs, lim)
	if len(d.GetReplaces()) != 0 || len(d.GetDiffs()) != 1 {
		t.Fatalf("connection limit is in place: %v", d)
	}
	outs, err = c.Update(DatabaseToken, "appdb", id, outs, lim, false)
	if err != nil {
		t.Fatal(err)
	}
	if props.IntOr(outs, "connectionLimit", 0) != 20 {
		t.Fatal(outs)
	}
	it.dbOut = outs
}

// schema is the subtest "schema".
func (it *integration) schema(t *testing.T) {
	c, srv := it.c, it.srv
	in := c.MustCheck(SchemaToken, "s", nil, pm(map[string]interface{}{"name": "app", "database": "gh_appdb", "owner": "gh_app"}))
	id, outs, err := c.Create(SchemaToken, "s", in, false)
	if err != nil {
		t.Fatal(err)
	}
	if id != "gh_appdb.app" || props.StringOr(outs, "owner", "") != "gh_app" {
		t.Fatalf("%s %v", id, outs)
	}
	if err := c.Delete(SchemaToken, "s", id, outs); err != nil {
		t.Fatal(err)
	}
	if got := srv.query(t, "gh_appdb", "SELECT count(*) FROM pg_namespace WHERE nspname = 'app'"); got[0] != "0" {
		t.Fatal("schema not dropped")
	}
}
