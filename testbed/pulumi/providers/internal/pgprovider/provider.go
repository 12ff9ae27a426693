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
	"sync"

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
