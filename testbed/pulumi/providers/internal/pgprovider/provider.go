// Package pgprovider is the stand-in for pulumi-resource-postgresql 3.18.1:
// Role, Database, Grant, DefaultPrivileges and Schema with the property
// names, defaults, ids, ForceNew rules and SQL of
// terraform-provider-postgresql, run against a real PostgreSQL with pgx.
package pgprovider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"gatehouse.local/testbed/pulumi/providers/internal/provider"
)

// Version is the @pulumi/postgresql release this plugin stands in for.
const Version = "3.18.1"

const (
	RoleToken              = "postgresql:index/role:Role"
	DatabaseToken          = "postgresql:index/database:Database"
	GrantToken             = "postgresql:index/grant:Grant"
	DefaultPrivilegesToken = "postgresql:index/defaultPrivileges:DefaultPrivileges"
	// Alias kept by @pulumi/postgresql for the old (misspelt) token.
	DefaultPrivilegToken = "postgresql:index/defaultPrivileg:DefaultPrivileg"
	SchemaToken          = "postgresql:index/schema:Schema"
)

type pg struct {
	mu  sync.RWMutex
	cfg *Config
}

func (p *pg) config() (Config, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.cfg == nil {
		return Config{}, errors.New("postgresql: the provider is not configured")
	}
	return *p.cfg, nil
}

// New returns the provider server.
func New() *provider.Server {
	p := &pg{}
	dp := &defaultPrivilegesResource{p: p, sch: defaultPrivilegesSchema(DefaultPrivilegesToken)}
	return &provider.Server{
		Name:    "postgresql",
		Version: Version,
		Resources: map[string]provider.Resource{
			RoleToken:              wrap(p, &roleResource{p: p}),
			DatabaseToken:          wrap(p, &databaseResource{p: p}),
			GrantToken:             wrap(p, &grantResource{p: p}),
			DefaultPrivilegesToken: wrap(p, dp),
			DefaultPrivilegToken:   wrap(p, &defaultPrivilegesResource{p: p, sch: defaultPrivilegesSchema(DefaultPrivilegToken)}),
			SchemaToken:            wrap(p, &schemaResource{p: p}),
		},
		OnConfigure: func(m resource.PropertyMap) error {
			c, err := ParseConfig(m, os.Getenv)
			if err != nil {
				return err
			}
			p.mu.Lock()
			p.cfg = &c
			p.mu.Unlock()
			return nil
		},
		ExtraSecrets: func() []string {
			p.mu.RLock()
			defer p.mu.RUnlock()
			if p.cfg == nil || p.cfg.Password == "" {
				return nil
			}
			return []string{p.cfg.Password}
		},
	}
}

// wrapped prefixes every error with the server address (connection errors already name it).
type wrapped struct {
	p *pg
	provider.Resource
}

func wrap(p *pg, r provider.Resource) provider.Resource { return &wrapped{p: p, Resource: r} }

func (w *wrapped) err(err error) error {
	if err == nil {
		return nil
	}
	var ce *ConnectError
	if errors.As(err, &ce) {
		return err
	}
	cfg, cerr := w.p.config()
	if cerr != nil {
		return err
	}
	return fmt.Errorf("postgresql %s: %w", cfg.HostPort(), err)
}

func (w *wrapped) Create(ctx context.Context, in resource.PropertyMap) (string, resource.PropertyMap, error) {
	id, outs, err := w.Resource.Create(ctx, in)
	return id, outs, w.err(err)
}

func (w *wrapped) Read(ctx context.Context, id string, state, in resource.PropertyMap) (string, resource.PropertyMap, error) {
	nid, outs, err := w.Resource.Read(ctx, id, state, in)
	return nid, outs, w.err(err)
}

func (w *wrapped) Update(ctx context.Context, id string, olds, news resource.PropertyMap) (string, resource.PropertyMap, error) {
	nid, outs, err := w.Resource.Update(ctx, id, olds, news)
	return nid, outs, w.err(err)
}

func (w *wrapped) Delete(ctx context.Context, id string, state resource.PropertyMap) error {
	return w.err(w.Resource.Delete(ctx, id, state))
}

// Check forwards to the wrapped resource's Check when it has one.
func (w *wrapped) Check(olds, news resource.PropertyMap) (resource.PropertyMap, []*pulumirpc.CheckFailure) {
	if c, ok := w.Resource.(provider.Checker); ok {
		return c.Check(olds, news)
	}
	return news, nil
}

var _ provider.Checker = (*wrapped)(nil)

// ---- helpers shared by the resources ----

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
	var n int
	if err := q.QueryRow(ctx, "SELECT count(*) FROM pg_roles WHERE rolname = $1", role).Scan(&n); err != nil {
		return false, fmt.Errorf("could not check role %s: %w", role, err)
	}
	return n > 0, nil
}

func dbExists(ctx context.Context, q querier, database string) (bool, error) {
	var n int
	if err := q.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", database).Scan(&n); err != nil {
		return false, fmt.Errorf("could not check database %s: %w", database, err)
	}
	return n > 0, nil
}

func schemaExists(ctx context.Context, q querier, name string) (bool, error) {
	var n int
	if err := q.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", name).Scan(&n); err != nil {
		return false, fmt.Errorf("could not check schema %s: %w", name, err)
	}
	return n > 0, nil
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
