package pgprovider

// Helpers shared by the resources: connections and transactions (upstream
// helpers.go PGResourceFunc and startTransaction), the read that ends a
// Create or Update, the create-time validation at Check, and catalog lookups.

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"gatehouse.local/testbed/pulumi/providers/internal/schema"
)

// connect is upstream PGResourceFunc (and, for a named database,
// startTransaction's client for it): the provider configuration and a
// connection to database (the configured one when ""); release closes it.
func (p *pg) connect(ctx context.Context, database string) (cfg Config, conn *pgx.Conn, release func(), err error) {
	return p.open(func(cfg Config) (*pgx.Conn, error) { return cfg.Connect(ctx, database) })
}

// connectIfExists is connect by Config.ConnectIfExists: conn is nil (and err
// nil) when the database is gone.
func (p *pg) connectIfExists(ctx context.Context, database string) (cfg Config, conn *pgx.Conn, release func(), err error) {
	return p.open(func(cfg Config) (*pgx.Conn, error) { return cfg.ConnectIfExists(ctx, database) })
}

// open is connect with the connection made by dial from the configuration;
// release does nothing when there is no connection.
func (p *pg) open(dial func(cfg Config) (*pgx.Conn, error)) (Config, *pgx.Conn, func(), error) {
	cfg, err := p.config()
	if err != nil {
		return Config{}, nil, func() {}, err
	}
	conn, err := dial(cfg)
	if err != nil || conn == nil {
		return cfg, nil, func() {}, err
	}
	return cfg, conn, func() { conn.Close(context.Background()) }, nil
}

// inTx runs fn in a transaction on conn.
func inTx(ctx context.Context, conn *pgx.Conn, fn func(tx pgx.Tx) error) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback(ctx)
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("could not commit transaction: %w", err)
	}
	return nil
}

// inLockedTx is the frame of upstream's grant and default privileges
// Create, Update and Delete: startTransaction on database (a connection
// error when it is gone); in that transaction, lock takes the advisory locks
// and returns the roles to be a member of, and fn runs inside
// withRolesGranted for them.
func (p *pg) inLockedTx(ctx context.Context, database string,
	lock func(tx pgx.Tx) ([]string, error), fn func(tx pgx.Tx) error) error {
	_, conn, release, err := p.connect(ctx, database)
	if err != nil {
		return err
	}
	defer release()
	return inTx(ctx, conn, func(tx pgx.Tx) error {
		roles, err := lock(tx)
		if err != nil {
			return err
		}
		return withRolesGranted(ctx, tx, roles, func() error { return fn(tx) })
	})
}

// readBack is the end of a Create or Update: the read that follows it, where
// not finding the resource is the error notFound.
func readBack(id string, outs resource.PropertyMap, err error, notFound string) (string, resource.PropertyMap, error) {
	if err != nil {
		return "", nil, err
	}
	if id == "" {
		return "", nil, errors.New(notFound)
	}
	return id, outs, nil
}

// checkAtCreate is the Check of a resource whose inputs upstream validates
// only when creating it: once news has no unknowns, a failed validate is a
// check failure.
func checkAtCreate(news resource.PropertyMap, validate func(resource.PropertyMap) error) (resource.PropertyMap, []*pulumirpc.CheckFailure) {
	if news.ContainsUnknowns() {
		return news, nil
	}
	if err := validate(news); err != nil {
		return news, []*pulumirpc.CheckFailure{{Reason: err.Error()}}
	}
	return news, nil
}

// stateFields copies the schema's properties out of state (a Read of a
// resource whose inputs are all in its state).
func stateFields(sch *schema.Schema, state resource.PropertyMap) resource.PropertyMap {
	outs := resource.PropertyMap{}
	for _, f := range sch.Fields {
		if v, ok := state[resource.PropertyKey(f.Name)]; ok {
			outs[resource.PropertyKey(f.Name)] = v
		}
	}
	return outs
}

type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func isSuperuser(ctx context.Context, q querier) (bool, error) {
	var su bool
	if err := q.QueryRow(ctx, "SELECT rolsuper FROM pg_roles WHERE rolname = CURRENT_USER").Scan(&su); err != nil {
		return false, fmt.Errorf("could not check if current user is superuser: %w", err)
	}
	return su, nil
}

func roleExists(ctx context.Context, q querier, role string) (bool, error) {
	return catalogHas(ctx, q, "SELECT count(*) FROM pg_roles WHERE rolname = $1", "role", role)
}

func dbExists(ctx context.Context, q querier, database string) (bool, error) {
	return catalogHas(ctx, q, "SELECT count(*) FROM pg_database WHERE datname = $1", "database", database)
}

func schemaExists(ctx context.Context, q querier, name string) (bool, error) {
	return catalogHas(ctx, q, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", "schema", name)
}

// catalogHas runs a count(*) query for name; a failure reads "could not check <kind> <name>: ...".
func catalogHas(ctx context.Context, q querier, countQuery, kind, name string) (bool, error) {
	var n int
	if err := q.QueryRow(ctx, countQuery, name).Scan(&n); err != nil {
		return false, fmt.Errorf("could not check %s %s: %w", kind, name, err)
	}
	return n > 0, nil
}

// checkRoleDBSchemaExists is upstream's check before reading a grant or
// default privileges, past its database check (connectIfExists makes that
// one), on a connection to their database: false when one of roles (PUBLIC
// aside) or the schema, when named, is gone.
func checkRoleDBSchemaExists(ctx context.Context, q querier, roles []string, schemaName string) (bool, error) {
	for _, role := range roles {
		if role == publicRole {
			continue
		}
		if ok, err := roleExists(ctx, q, role); err != nil || !ok {
			return false, err
		}
	}
	if schemaName != "" {
		return schemaExists(ctx, q, schemaName)
	}
	return true, nil
}

// roleOID is the grantee oid in ACLs; PUBLIC is 0.
func roleOID(ctx context.Context, q querier, role string) (uint32, error) {
	if role == publicRole {
		return 0, nil
	}
	var oid uint32
	if err := q.QueryRow(ctx, "SELECT oid FROM pg_roles WHERE rolname = $1", role).Scan(&oid); err != nil {
		return 0, fmt.Errorf("could not find oid for role %s: %w", role, err)
	}
	return oid, nil
}

func serverMajor(ctx context.Context, q querier) int {
	var s string
	if err := q.QueryRow(ctx, "SHOW server_version_num").Scan(&s); err != nil {
		return 0
	}
	n, _ := strconv.Atoi(s)
	return n / 10000
}
