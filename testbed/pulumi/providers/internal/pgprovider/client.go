package pgprovider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

// Config is the provider configuration, named as @pulumi/postgresql's Provider args.
type Config struct {
	Scheme           string
	Host             string
	Port             int
	Username         string
	Password         string
	Database         string
	DatabaseUsername string
	SSLMode          string
	SSLRootCert      string
	Superuser        bool
	ConnectTimeout   int
}

// ParseConfig reads the configuration with the upstream defaults: host
// PGHOST, port PGPORT or 5432, username PGUSER or "postgres", password
// PGPASSWORD, database PGDATABASE or "postgres", sslmode PGSSLMODE (lib/pq
// treats an empty sslmode as "require"), superuser PGSUPERUSER or true,
// connectTimeout PGCONNECT_TIMEOUT or 180.
func ParseConfig(m resource.PropertyMap, getenv func(string) string) (Config, error) {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Scheme:           props.StringOr(m, "scheme", "postgres"),
		Host:             props.StringOr(m, "host", env("PGHOST", "")),
		Username:         props.StringOr(m, "username", env("PGUSER", "postgres")),
		Password:         props.StringOr(m, "password", env("PGPASSWORD", "")),
		Database:         props.StringOr(m, "database", env("PGDATABASE", "postgres")),
		DatabaseUsername: props.StringOr(m, "databaseUsername", ""),
		SSLRootCert:      props.StringOr(m, "sslrootcert", ""),
	}
	if c.Host == "" {
		c.Host = "localhost"
	}
	c.SSLMode = props.StringOr(m, "sslmode", props.StringOr(m, "sslMode", env("PGSSLMODE", "")))
	if c.SSLMode == "" {
		c.SSLMode = "require"
	}
	port, err := configOrEnv(m, "port", props.Int, "PGPORT", env("PGPORT", "5432"), parseInt)
	if err != nil {
		return c, err
	}
	c.Port = int(port)
	if c.Superuser, err = configOrEnv(m, "superuser", props.Bool, "PGSUPERUSER", env("PGSUPERUSER", "true"), strconv.ParseBool); err != nil {
		return c, err
	}
	ct, err := configOrEnv(m, "connectTimeout", props.Int, "PGCONNECT_TIMEOUT", env("PGCONNECT_TIMEOUT", "180"), parseInt)
	if err != nil {
		return c, err
	}
	c.ConnectTimeout = int(ct)
	if c.Scheme != "postgres" {
		return c, fmt.Errorf("postgresql: scheme %q is not supported by this stand-in provider (only \"postgres\")", c.Scheme)
	}
	for _, k := range []string{"awsRdsIamAuth", "azureIdentityAuth"} {
		if props.BoolOr(m, k, false) {
			return c, fmt.Errorf("postgresql: %s is not supported by this stand-in provider", k)
		}
	}
	if props.Has(m, "clientcert") {
		if v, _ := props.Lookup(m, "clientcert"); !(v.IsString() && (v.StringValue() == "" || v.StringValue() == "null")) {
			return c, fmt.Errorf("postgresql: clientcert is not supported by this stand-in provider")
		}
	}
	return c, nil
}

// configOrEnv is key k of m as get reads it, else envValue (the environment
// variable envName's value or its default) parsed, a failure naming envName.
func configOrEnv[T any](m resource.PropertyMap, k string, get func(resource.PropertyMap, string) (T, bool, error),
	envName, envValue string, parse func(string) (T, error)) (T, error) {
	v, ok, err := get(m, k)
	if err != nil || ok {
		return v, err
	}
	if v, err = parse(envValue); err != nil {
		return v, fmt.Errorf("%s: %w", envName, err)
	}
	return v, nil
}

func parseInt(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }

// HostPort is host:port as used in messages.
func (c Config) HostPort() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// CurrentUser is the database user name of the connection (upstream getDatabaseUsername).
func (c Config) CurrentUser() string {
	if c.DatabaseUsername != "" {
		return c.DatabaseUsername
	}
	if i := strings.Index(c.Username, "@"); i >= 0 {
		return c.Username[:i]
	}
	return c.Username
}

func dsnValue(v string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), `'`, `\'`) + "'"
}

// connString is a keyword/value connection string with every value quoted.
func (c Config) connString(database string) string {
	kv := [][2]string{
		{"host", c.Host},
		{"port", strconv.Itoa(c.Port)},
		{"user", c.Username},
		{"dbname", database},
		{"sslmode", c.SSLMode},
		{"application_name", "Pulumi postgresql stand-in provider"},
	}
	if c.ConnectTimeout > 0 {
		kv = append(kv, [2]string{"connect_timeout", strconv.Itoa(c.ConnectTimeout)})
	}
	if c.SSLRootCert != "" {
		kv = append(kv, [2]string{"sslrootcert", c.SSLRootCert})
	}
	parts := make([]string, len(kv))
	for i, p := range kv {
		parts[i] = p[0] + "=" + dsnValue(p[1])
	}
	return strings.Join(parts, " ")
}

// ConnectError is a failure to connect; its message names host, port and user, never the password.
type ConnectError struct {
	HostPort, User, Database, Reason string
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("postgresql: cannot connect to %s as %s: %s", e.HostPort, e.User, e.Reason)
}

func connectReason(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Message
	}
	var sysErr *os.SyscallError
	if errors.As(err, &sysErr) {
		return sysErr.Err.Error()
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Err.Error()
	}
	inner := err
	for {
		u := errors.Unwrap(inner)
		if u == nil {
			break
		}
		inner = u
	}
	return inner.Error()
}

// ConnectIfExists opens a connection to database, or returns nil (and no
// error) when the server has no such database: the resource in it is gone.
func (c Config) ConnectIfExists(ctx context.Context, database string) (*pgx.Conn, error) {
	admin, err := c.Connect(ctx, "")
	if err != nil {
		return nil, err
	}
	exists, err := dbExists(ctx, admin, database)
	admin.Close(context.Background())
	if err != nil || !exists {
		return nil, err
	}
	return c.Connect(ctx, database)
}

// Connect opens a connection to database (the configured one when empty).
func (c Config) Connect(ctx context.Context, database string) (*pgx.Conn, error) {
	if database == "" {
		database = c.Database
	}
	fail := func(reason string) error {
		return &ConnectError{HostPort: c.HostPort(), User: c.Username, Database: database, Reason: reason}
	}
	cc, err := pgx.ParseConfig(c.connString(database))
	if err != nil {
		return nil, fail("invalid connection settings: " + connectReason(err))
	}
	// Set outside the connection string so it never appears in a parse error.
	cc.Password = c.Password
	if c.ConnectTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(c.ConnectTimeout)*time.Second)
		defer cancel()
	}
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return nil, fail(connectReason(err))
	}
	return conn, nil
}
