package pgprovider

// Integration subtest: Delete of a Grant or DefaultPrivileges checks nothing
// first (upstream resourcePostgreSQLGrantDelete and
// resourcePostgreSQLDefaultPrivilegesDelete): once their role was renamed
// the REVOKE fails with the server's `role "x" does not exist`, once their
// schema was dropped with upstream's "could not find schema".

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

// deleteAfterRenameOrDrop is the subtest "grant delete after a rename or a drop".
func (it *integration) deleteAfterRenameOrDrop(t *testing.T) {
	c, srv := it.c, it.srv
	mustCreate := func(typ, name string, in map[string]interface{}) (string, resource.PropertyMap, resource.PropertyMap) {
		t.Helper()
		checked := c.MustCheck(typ, name, nil, pm(in))
		id, outs, err := c.Create(typ, name, checked, false)
		if err != nil {
			t.Fatalf("create %s: %v", typ, err)
		}
		return id, outs, checked
	}
	wantErr := func(what string, err error, text string) {
		t.Helper()
		t.Logf("%s: %v", what, err)
		if err == nil || !strings.Contains(err.Error(), text) {
			t.Fatalf("%s: got %v, want an error with %q", what, err, text)
		}
	}
	roleID, roleOut, roleIn := mustCreate(RoleToken, "ren", map[string]interface{}{"name": "gh_ren"})
	gid, gout, _ := mustCreate(GrantToken, "gren", map[string]interface{}{
		"database": "gh_appdb", "role": "gh_ren", "objectType": "database", "privileges": []interface{}{"CONNECT"},
	})
	did, dout, _ := mustCreate(DefaultPrivilegesToken, "dpren", map[string]interface{}{
		"database": "gh_appdb", "role": "gh_ren", "owner": "gh_app", "schema": "public", "objectType": "table",
		"privileges": []interface{}{"SELECT"},
	})

	// The role is renamed in place; the old grant's delete names the old role.
	renamed := roleIn.Copy()
	renamed["name"] = resource.NewStringProperty("gh_ren2")
	roleOut, err := c.Update(RoleToken, "ren", roleID, roleOut, c.MustCheck(RoleToken, "ren", roleIn, renamed), false)
	if err != nil {
		t.Fatal(err)
	}
	wantErr("delete of a grant whose role was renamed", c.Delete(GrantToken, "gren", gid, gout), `role "gh_ren" does not exist`)
	if got := srv.query(t, "postgres", "SELECT has_database_privilege('gh_ren2', 'gh_appdb', 'CONNECT')"); got[0] != "true" {
		t.Fatal("the failed delete must not have revoked anything")
	}
	wantErr("delete of default privileges whose role was renamed", c.Delete(DefaultPrivilegesToken, "dpren", did, dout),
		`role "gh_ren" does not exist`)
	if id, _, _, err := c.Read(GrantToken, "gren", gid, gout, nil); err != nil || id != "" {
		t.Fatalf("the old grant reads as gone (checkRoleDBSchemaExists): %q %v", id, err)
	}
	// What a replacement grant for the new name deletes cleanly.
	dout2 := dout.Copy()
	dout2["role"] = resource.NewStringProperty("gh_ren2")
	if err := c.Delete(DefaultPrivilegesToken, "dpren", defaultPrivilegesID(defaultPrivilegesSpecFrom(dout2)), dout2); err != nil {
		t.Fatal(err)
	}

	// A table grant whose schema was dropped outside.
	srv.query(t, "gh_appdb", "CREATE SCHEMA gh_tmp_s")
	tid, tout, _ := mustCreate(GrantToken, "gtmp", map[string]interface{}{
		"database": "gh_appdb", "role": "gh_ren2", "schema": "gh_tmp_s", "objectType": "table", "privileges": []interface{}{"SELECT"},
	})
	srv.query(t, "gh_appdb", "DROP SCHEMA gh_tmp_s CASCADE")
	wantErr("delete of a grant whose schema was dropped", c.Delete(GrantToken, "gtmp", tid, tout),
		"could not find schema 'gh_tmp_s' while looking for owner")
	if id, _, _, err := c.Read(GrantToken, "gtmp", tid, tout, nil); err != nil || id != "" {
		t.Fatalf("a grant on a dropped schema reads as gone: %q %v", id, err)
	}

	// Cleanup: the role delete drops what it still owns and its privileges.
	if err := c.Delete(RoleToken, "ren", props.StringOr(roleOut, "id", ""), roleOut); err != nil {
		t.Fatal(err)
	}
	if got := srv.query(t, "postgres", "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'gh_ren%'"); got[0] != "0" {
		t.Fatalf("roles left behind: %v", got)
	}
}
