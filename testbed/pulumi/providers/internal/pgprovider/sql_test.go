package pgprovider

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"app":        `"app"`,
		`we"ird`:     `"we""ird"`,
		"Mixed Case": `"Mixed Case"`,
		"public":     `"public"`,
	} {
		if got := quoteIdent(in); got != want {
			t.Errorf("quoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestQuoteLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"secret":         `'secret'`,
		"it's":           `'it''s'`,
		`back\slash`:     `E'back\\slash'`,
		`'; DROP ROLE x`: `'''; DROP ROLE x'`,
		`a\'b`:           `E'a\\''b'`,
	} {
		if got := quoteLiteral(in); got != want {
			t.Errorf("quoteLiteral(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestCreateRoleQuery(t *testing.T) {
	q := createRoleQuery(roleSpec{Name: "app", Password: "p'w", HasPassword: true, EncryptedPassword: true,
		ValidUntil: "infinity", ConnectionLimit: -1, Inherit: true, Login: true})
	want := `CREATE ROLE "app" WITH ENCRYPTED PASSWORD 'p''w' VALID UNTIL 'infinity' CONNECTION LIMIT -1 ` +
		`NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT LOGIN NOREPLICATION NOBYPASSRLS`
	if q != want {
		t.Fatalf("got  %s\nwant %s", q, want)
	}
	q = createRoleQuery(roleSpec{Name: "r", Password: "null", HasPassword: true, ConnectionLimit: 3})
	if !strings.Contains(q, "PASSWORD NULL") || !strings.Contains(q, "CONNECTION LIMIT 3") {
		t.Fatal(q)
	}
	if q := createRoleQuery(roleSpec{Name: "r"}); strings.Contains(q, "PASSWORD") {
		t.Fatal(q)
	}
}

func TestSearchPathQuery(t *testing.T) {
	q, err := searchPathQuery("r", nil)
	if err != nil || q != `ALTER ROLE "r" SET search_path TO DEFAULT` {
		t.Fatal(q, err)
	}
	q, _ = searchPathQuery("r", []string{"app", "$user"})
	if q != `ALTER ROLE "r" SET search_path TO "app", "$user"` {
		t.Fatal(q)
	}
	if _, err := searchPathQuery("r", []string{"a, b"}); err == nil {
		t.Fatal("`, ` must be rejected")
	}
}

func TestReadRoleConfig(t *testing.T) {
	sp, st, idle, role := readRoleConfig([]string{`search_path="$user", app`, "statement_timeout=5000",
		"idle_in_transaction_session_timeout=100", "role=admin"})
	if strings.Join(sp, "|") != "$user|app" || st != 5000 || idle != 100 || role != "admin" {
		t.Fatal(sp, st, idle, role)
	}
}

func TestCreateDatabaseQuery(t *testing.T) {
	q := createDatabaseQuery(databaseSpec{Name: "app", AllowConnections: true, ConnectionLimit: -1}, "postgres")
	want := `CREATE DATABASE "app" OWNER "postgres" TEMPLATE template0 ENCODING 'UTF8' ALLOW_CONNECTIONS true CONNECTION LIMIT -1 IS_TEMPLATE false`
	if q != want {
		t.Fatalf("got  %s\nwant %s", q, want)
	}
	q = createDatabaseQuery(databaseSpec{Name: "x", Owner: "o", Template: "template1", Encoding: "LATIN1",
		LcCollate: "C", LcCtype: "C", Tablespace: "pg_default", ConnectionLimit: 5}, "postgres")
	for _, part := range []string{`OWNER "o"`, `TEMPLATE "template1"`, `ENCODING 'LATIN1'`, `LC_COLLATE 'C'`, `LC_CTYPE 'C'`, `TABLESPACE "pg_default"`, "CONNECTION LIMIT 5", "ALLOW_CONNECTIONS false"} {
		if !strings.Contains(q, part) {
			t.Errorf("%s missing from %s", part, q)
		}
	}
}

func TestGrantIDs(t *testing.T) {
	for _, c := range []struct {
		g    grantSpec
		want string
	}{
		{grantSpec{Role: "app", Database: "db", ObjectType: "database"}, "app_db_database"},
		{grantSpec{Role: "app", Database: "db", Schema: "public", ObjectType: "table"}, "app_db_public_table"},
		{grantSpec{Role: "public", Database: "db", Schema: "s", ObjectType: "schema"}, "public_db_s_schema"},
		{grantSpec{Role: "r", Database: "db", Schema: "s", ObjectType: "table", Objects: []string{"t2", "t1"}}, "r_db_s_table_t1_t2"},
		{grantSpec{Role: "r", Database: "db", Schema: "s", ObjectType: "column", Objects: []string{"t"}, Columns: []string{"c"}}, "r_db_s_column_t_c"},
	} {
		if got := grantID(c.g); got != c.want {
			t.Errorf("grantID = %s, want %s", got, c.want)
		}
	}
	if got := defaultPrivilegesID(defaultPrivilegesSpec{Role: "r", Database: "db", Owner: "o", ObjectType: "table"}); got != "r_db_noschema_o_table" {
		t.Error(got)
	}
	if got := defaultPrivilegesID(defaultPrivilegesSpec{Role: "r", Database: "db", Owner: "o", Schema: "s", ObjectType: "sequence"}); got != "r_db_s_o_sequence" {
		t.Error(got)
	}
	if got := schemaID("db", "s"); got != "db.s" {
		t.Error(got)
	}
}

func TestGrantQueries(t *testing.T) {
	g := grantSpec{Role: "app", Database: "db", ObjectType: "database", Privileges: []string{"CONNECT", "CREATE"}}
	if q := grantQuery(g); q != `GRANT CONNECT,CREATE ON DATABASE "db" TO "app"` {
		t.Error(q)
	}
	if q := revokeQuery(g); q != `REVOKE ALL PRIVILEGES ON DATABASE "db" FROM "app"` {
		t.Error(q)
	}
	g = grantSpec{Role: "public", Database: "db", Schema: "s", ObjectType: "table", Privileges: []string{"SELECT"}, WithGrantOption: true}
	if q := grantQuery(g); q != `GRANT SELECT ON ALL TABLES IN SCHEMA "s" TO "public" WITH GRANT OPTION` {
		t.Error(q)
	}
	g = grantSpec{Role: "r", Database: "db", Schema: "s", ObjectType: "table", Objects: []string{"b", "a"}, Privileges: []string{"SELECT"}}
	if q := grantQuery(g); q != `GRANT SELECT ON TABLE "s"."a", "s"."b" TO "r"` {
		t.Error(q)
	}
	if q := revokeQuery(g); q != `REVOKE SELECT ON TABLE "s"."a", "s"."b" FROM "r"` {
		t.Error(q)
	}
	g = grantSpec{Role: "r", Database: "db", Schema: "s", ObjectType: "function", Objects: []string{"f(text, int)"}, Privileges: []string{"EXECUTE"}}
	if q := grantQuery(g); q != `GRANT EXECUTE ON FUNCTION "s"."f"(text, int) TO "r"` {
		t.Error(q)
	}
	g = grantSpec{Role: "r", Database: "db", Schema: "s", ObjectType: "schema"}
	if q := grantQuery(g); q != "" {
		t.Errorf("no privileges means no GRANT, got %s", q)
	}
	if q := revokeQuery(g); q != `REVOKE ALL PRIVILEGES ON SCHEMA "s" FROM "r"` {
		t.Error(q)
	}
}

func TestValidateGrant(t *testing.T) {
	bad := []grantSpec{
		{Role: "r", Database: "d", ObjectType: "table", Privileges: []string{"SELECT"}},                                       // schema missing
		{Role: "r", Database: "d", ObjectType: "database", Objects: []string{"x"}, Privileges: []string{"CONNECT"}},           // objects on database
		{Role: "r", Database: "d", ObjectType: "database", Privileges: []string{"SELECT"}},                                    // wrong privilege
		{Role: "r", Database: "d", Schema: "s", ObjectType: "column", Objects: []string{"t"}, Privileges: []string{"SELECT"}}, // no columns
	}
	for i, g := range bad {
		if err := validateGrant(g); err == nil {
			t.Errorf("case %d must fail", i)
		}
	}
	if err := validateGrant(grantSpec{Role: "r", Database: "d", ObjectType: "database", Privileges: []string{"connect", "TEMPORARY"}}); err != nil {
		t.Error(err)
	}
	if err := validateGrant(grantSpec{Role: "r", Database: "d", ObjectType: "database"}); err != nil {
		t.Errorf("empty privileges (revoke all) is valid: %v", err)
	}
}

func TestPrivilegesEqual(t *testing.T) {
	if !privilegesEqual("database", []string{"CONNECT"}, []string{"CONNECT"}, 18) {
		t.Error("same set")
	}
	if privilegesEqual("database", []string{"CONNECT"}, []string{"CONNECT", "CREATE"}, 18) {
		t.Error("different sets")
	}
	if !privilegesEqual("schema", []string{"USAGE", "CREATE"}, []string{"ALL"}, 18) {
		t.Error("ALL on schema is CREATE+USAGE")
	}
	all := []string{"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"}
	if privilegesEqual("table", all, []string{"ALL"}, 18) {
		t.Error("PG18 tables also have MAINTAIN")
	}
	if !privilegesEqual("table", append(all, "MAINTAIN"), []string{"ALL"}, 18) || !privilegesEqual("table", all, []string{"ALL"}, 16) {
		t.Error("ALL on tables")
	}
	if !privilegesEqual("database", nil, []string{}, 18) {
		t.Error("nothing granted, nothing wanted")
	}
}

func TestDefaultPrivilegesQueries(t *testing.T) {
	d := defaultPrivilegesSpec{Role: "reader", Database: "db", Owner: "app", Schema: "public", ObjectType: "table", Privileges: []string{"SELECT"}}
	if q := defaultPrivilegesGrantQuery(d); q != `ALTER DEFAULT PRIVILEGES FOR ROLE "app" IN SCHEMA "public" GRANT SELECT ON TABLES TO "reader"` {
		t.Error(q)
	}
	if q := defaultPrivilegesRevokeQuery(d); q != `ALTER DEFAULT PRIVILEGES FOR ROLE "app" IN SCHEMA "public" REVOKE ALL ON TABLES FROM "reader"` {
		t.Error(q)
	}
	d.Schema, d.ObjectType = "", "schema"
	if q := defaultPrivilegesRevokeQuery(d); q != `ALTER DEFAULT PRIVILEGES FOR ROLE "app" REVOKE ALL ON SCHEMAS FROM "reader"` {
		t.Error(q)
	}
	if err := validateDefaultPrivileges(defaultPrivilegesSpec{Role: "public", ObjectType: "table", WithGrantOption: true}); err == nil {
		t.Error("with grant option to public must fail")
	}
	if err := validateDefaultPrivileges(defaultPrivilegesSpec{Role: "r", Schema: "s", ObjectType: "schema"}); err == nil {
		t.Error("schema with object type schema must fail")
	}
}

func TestParseConfig(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	c, err := ParseConfig(resource.PropertyMap{}, getenv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Host != "localhost" || c.Port != 5432 || c.Username != "postgres" || c.Database != "postgres" ||
		c.SSLMode != "require" || !c.Superuser || c.ConnectTimeout != 180 {
		t.Fatalf("defaults: %+v", c)
	}
	env["PGHOST"], env["PGPORT"], env["PGSSLMODE"] = "db.local", "6543", "disable"
	c, _ = ParseConfig(resource.PropertyMap{}, getenv)
	if c.Host != "db.local" || c.Port != 6543 || c.SSLMode != "disable" {
		t.Fatalf("env: %+v", c)
	}
	// @pulumi/postgresql sends numbers and booleans JSON-encoded; secrets stay wrapped.
	m := resource.PropertyMap{
		"host":           resource.NewStringProperty("127.0.0.1"),
		"port":           resource.NewStringProperty("55432"),
		"superuser":      resource.NewStringProperty("false"),
		"connectTimeout": resource.NewStringProperty("7"),
		"password":       resource.MakeSecret(resource.NewStringProperty("pw")),
		"sslMode":        resource.NewStringProperty("prefer"),
	}
	c, err = ParseConfig(m, getenv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Host != "127.0.0.1" || c.Port != 55432 || c.Superuser || c.ConnectTimeout != 7 || c.Password != "pw" || c.SSLMode != "prefer" {
		t.Fatalf("args: %+v", c)
	}
	if c.HostPort() != "127.0.0.1:55432" {
		t.Fatal(c.HostPort())
	}
	if _, err := ParseConfig(resource.PropertyMap{"port": resource.NewStringProperty("x")}, getenv); err == nil {
		t.Fatal("bad port must fail")
	}
}

func TestConnStringNeverHoldsThePassword(t *testing.T) {
	c := Config{Host: "h", Port: 1, Username: `u'ser`, Password: "hunter2", Database: `d\b`, SSLMode: "disable", ConnectTimeout: 3}
	s := c.connString("db")
	if strings.Contains(s, "hunter2") {
		t.Fatal(s)
	}
	if !strings.Contains(s, `user='u\'ser'`) {
		t.Fatal(s)
	}
}
