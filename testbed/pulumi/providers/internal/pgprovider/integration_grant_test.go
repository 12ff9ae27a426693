package pgprovider

// Integration subtests for privileges: grants and default privileges.

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

// grant is the subtest "grant".
func (it *integration) grant(t *testing.T) {
	c, srv := it.c, it.srv
	rin := c.MustCheck(RoleToken, "reader", nil, pm(map[string]interface{}{"name": "gh_reader"}))
	var err error
	if _, it.readerOut, err = c.Create(RoleToken, "reader", rin, false); err != nil {
		t.Fatal(err)
	}
	in := c.MustCheck(GrantToken, "g", nil, pm(map[string]interface{}{
		"database": "gh_appdb", "role": "gh_reader", "objectType": "database", "privileges": []interface{}{"CONNECT"},
	}))
	id, outs, err := c.Create(GrantToken, "g", in, false)
	if err != nil {
		t.Fatal(err)
	}
	if id != "gh_reader_gh_appdb_database" {
		t.Fatal(id)
	}
	if got := srv.query(t, "postgres", "SELECT has_database_privilege('gh_reader', 'gh_appdb', 'CONNECT')"); got[0] != "true" {
		t.Fatal("CONNECT not granted")
	}
	// Drift: revoked outside; refresh shows it.
	srv.query(t, "postgres", `REVOKE CONNECT ON DATABASE gh_appdb FROM gh_reader`)
	_, rout, _, err := c.Read(GrantToken, "g", id, outs, in)
	if err != nil {
		t.Fatal(err)
	}
	if p := props.Strings(rout, "privileges"); len(p) != 0 {
		t.Fatalf("refresh should find no privilege, got %v", p)
	}
	d := c.Diff(GrantToken, "g", id, rout, in)
	if len(d.GetDiffs()) != 1 || len(d.GetReplaces()) != 0 {
		t.Fatalf("privileges drift is an update: %v", d)
	}
	if _, err := c.Update(GrantToken, "g", id, rout, in, false); err != nil {
		t.Fatal(err)
	}
	if got := srv.query(t, "postgres", "SELECT has_database_privilege('gh_reader', 'gh_appdb', 'CONNECT')"); got[0] != "true" {
		t.Fatal("CONNECT not granted again")
	}
	// Changing the role replaces (delete before replace).
	other := in.Copy()
	other["role"] = resource.NewStringProperty("gh_app")
	if d := c.Diff(GrantToken, "g", id, outs, other); len(d.GetReplaces()) != 1 || !d.GetDeleteBeforeReplace() {
		t.Fatalf("role change replaces, delete first: %v", d)
	}
	// PUBLIC on a schema.
	pin := c.MustCheck(GrantToken, "pub", nil, pm(map[string]interface{}{
		"database": "gh_appdb", "role": "public", "schema": "public", "objectType": "schema", "privileges": []interface{}{},
	}))
	pid, pout, err := c.Create(GrantToken, "pub", pin, false)
	if err != nil {
		t.Fatal(err)
	}
	if pid != "public_gh_appdb_public_schema" {
		t.Fatal(pid)
	}
	if got := srv.query(t, "gh_appdb", "SELECT count(*) FROM (SELECT (aclexplode(nspacl)).* FROM pg_namespace WHERE nspname = 'public') a WHERE grantee = 0"); got[0] != "0" {
		t.Fatalf("privileges [] must revoke everything from PUBLIC, %v left", got)
	}
	pin2 := pin.Copy()
	pin2["privileges"] = resource.NewArrayProperty([]resource.PropertyValue{resource.NewStringProperty("USAGE")})
	pout, err = c.Update(GrantToken, "pub", pid, pout, pin2, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.query(t, "gh_appdb", "SELECT has_schema_privilege('gh_reader', 'public', 'USAGE')"); got[0] != "true" {
		t.Fatal("USAGE to PUBLIC not granted")
	}
	if err := c.Delete(GrantToken, "pub", pid, pout); err != nil {
		t.Fatal(err)
	}
	if got := srv.query(t, "gh_appdb", "SELECT has_schema_privilege('gh_reader', 'public', 'USAGE')"); got[0] != "false" {
		t.Fatal("USAGE to PUBLIC not revoked on delete")
	}
}

// defaultPrivileges is the subtest "default privileges".
func (it *integration) defaultPrivileges(t *testing.T) {
	c, srv, pw2 := it.c, it.srv, it.pw2
	in := c.MustCheck(DefaultPrivilegesToken, "dp", nil, pm(map[string]interface{}{
		"database": "gh_appdb", "role": "gh_reader", "owner": "gh_app", "schema": "public", "objectType": "table",
		"privileges": []interface{}{"SELECT"},
	}))
	id, outs, err := c.Create(DefaultPrivilegesToken, "dp", in, false)
	if err != nil {
		t.Fatal(err)
	}
	if id != "gh_reader_gh_appdb_public_gh_app_table" {
		t.Fatal(id)
	}
	// A table the owner creates is readable by the role.
	conn, err := srv.connect("gh_app", pw2, "gh_appdb")
	if err != nil {
		t.Fatal(err)
	}
	srv.query(t, "gh_appdb", `GRANT CREATE ON SCHEMA public TO gh_app`)
	if _, err := conn.Exec(context.Background(), "CREATE TABLE public.t1 (x int)"); err != nil {
		t.Fatal(err)
	}
	conn.Close(context.Background())
	if got := srv.query(t, "gh_appdb", "SELECT has_table_privilege('gh_reader', 'public.t1', 'SELECT')"); got[0] != "true" {
		t.Fatal("default SELECT not applied")
	}
	if d := c.Diff(DefaultPrivilegesToken, "dp", id, outs, in); len(d.GetDiffs()) != 0 {
		t.Fatalf("no diff expected: %v", d.GetDiffs())
	}
	if err := c.Delete(DefaultPrivilegesToken, "dp", id, outs); err != nil {
		t.Fatal(err)
	}
	if got := srv.query(t, "gh_appdb", "SELECT count(*) FROM pg_default_acl"); got[0] != "0" {
		t.Fatalf("default privileges left after delete: %v", got)
	}
	rid, _, _, err := c.Read(DefaultPrivilegesToken, "dp", id, outs, in)
	if err != nil || rid != "" {
		t.Fatalf("read after delete must report gone: %q %v", rid, err)
	}
}
