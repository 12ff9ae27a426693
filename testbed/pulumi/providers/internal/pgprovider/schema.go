package pgprovider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
	"gatehouse.local/testbed/pulumi/providers/internal/schema"
)

// schemaResource is postgresql_schema: database forces a replacement; name
// (RENAME) and owner change in place; id is "<database>.<name>".
type schemaResource struct{ p *pg }

var schemaSchema = &schema.Schema{
	Token:       SchemaToken,
	AutoName:    true,
	ZeroIsUnset: true,
	Fields: []schema.Field{
		{Name: "name", Kind: schema.String, Required: true},
		{Name: "database", Kind: schema.String, Computed: true, ForceNew: true},
		{Name: "owner", Kind: schema.String, Computed: true},
		{Name: "ifNotExists", Kind: schema.Bool, Default: true},
		{Name: "dropCascade", Kind: schema.Bool, Default: false},
	},
}

func (r *schemaResource) Schema() *schema.Schema { return schemaSchema }

// Check rejects the deprecated policies block, which this stand-in does not implement.
func (r *schemaResource) Check(_, news resource.PropertyMap) (resource.PropertyMap, []*pulumirpc.CheckFailure) {
	if v, ok := props.Lookup(news, "policies"); ok && v.IsArray() && len(v.ArrayValue()) > 0 {
		return news, []*pulumirpc.CheckFailure{{Property: "policies",
			Reason: "policies (deprecated upstream) are not implemented by this stand-in provider; use postgresql.Grant with objectType \"schema\""}}
	}
	return news, nil
}

// connect connects to the schema's database: the "database" of m, else the
// configured one.
func (r *schemaResource) connect(ctx context.Context, m resource.PropertyMap) (database string, conn *pgx.Conn, release func(), err error) {
	_, conn, release, err = r.p.open(func(cfg Config) (*pgx.Conn, error) {
		database = props.StringOr(m, "database", cfg.Database)
		return cfg.Connect(ctx, database)
	})
	return database, conn, release, err
}

func (r *schemaResource) Create(ctx context.Context, in resource.PropertyMap) (string, resource.PropertyMap, error) {
	database, conn, release, err := r.connect(ctx, in)
	if err != nil {
		return "", nil, err
	}
	defer release()
	name := props.StringOr(in, "name", "")
	owner := props.StringOr(in, "owner", "")
	err = inTx(ctx, conn, func(tx pgx.Tx) error {
		var dbOwner string
		if err := tx.QueryRow(ctx, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()").Scan(&dbOwner); err != nil {
			return fmt.Errorf("could not get owner of database %s: %w", database, err)
		}
		roles := []string{dbOwner}
		if owner != "" && owner != dbOwner {
			roles = append(roles, owner)
		}
		return withRolesGranted(ctx, tx, roles, func() error {
			exists, err := schemaExists(ctx, tx, name)
			if err != nil {
				return err
			}
			if !exists {
				return execWrapped(ctx, tx, "Error creating schema "+name, createSchemaQuery(name, owner, props.BoolOr(in, "ifNotExists", true)))
			}
			// The schema exists already: only its owner is set.
			if owner != "" {
				return alterObject(ctx, tx, "SCHEMA", name, "OWNER TO "+quoteIdent(owner), "OWNER")
			}
			return nil
		})
	})
	if err != nil {
		return "", nil, err
	}
	return r.readAfter(ctx, database, name, in, "creation")
}

// readAfter is the read that ends Create and Update (done says which): the
// schema name in database, with in as its state.
func (r *schemaResource) readAfter(ctx context.Context, database, name string, in resource.PropertyMap, done string) (string, resource.PropertyMap, error) {
	state := in.Copy()
	state["database"] = resource.NewStringProperty(database)
	id, outs, err := r.Read(ctx, schemaID(database, name), state, in)
	return readBack(id, outs, err, fmt.Sprintf("schema %s was not found after its %s", name, done))
}

func splitSchemaID(id string) (string, string, bool) {
	i := strings.Index(id, ".")
	if i <= 0 {
		return "", "", false
	}
	return id[:i], id[i+1:], true
}

func (r *schemaResource) Read(ctx context.Context, id string, state, _ resource.PropertyMap) (string, resource.PropertyMap, error) {
	database, name := props.StringOr(state, "database", ""), props.StringOr(state, "name", "")
	_, conn, release, err := r.p.open(func(cfg Config) (*pgx.Conn, error) {
		if database == "" || name == "" {
			var ok bool
			if database, name, ok = splitSchemaID(id); !ok {
				return nil, fmt.Errorf("invalid schema id %q: expected <database>.<schema>", id)
			}
		}
		return cfg.ConnectIfExists(ctx, database)
	})
	if err != nil || conn == nil {
		return "", nil, err
	}
	defer release()
	var owner string
	err = conn.QueryRow(ctx, "SELECT pg_catalog.pg_get_userbyid(n.nspowner) FROM pg_catalog.pg_namespace n WHERE n.nspname = $1", name).Scan(&owner)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("Error reading schema: %w", err)
	}
	outs := resource.PropertyMap{
		"name":        resource.NewStringProperty(name),
		"database":    resource.NewStringProperty(database),
		"owner":       resource.NewStringProperty(owner),
		"ifNotExists": resource.NewBoolProperty(props.BoolOr(state, "ifNotExists", true)),
		"dropCascade": resource.NewBoolProperty(props.BoolOr(state, "dropCascade", false)),
	}
	return schemaID(database, name), outs, nil
}

func (r *schemaResource) Update(ctx context.Context, id string, olds, news resource.PropertyMap) (string, resource.PropertyMap, error) {
	database, conn, release, err := r.connect(ctx, olds)
	if err != nil {
		return "", nil, err
	}
	defer release()
	oldName := props.StringOr(olds, "name", "")
	name := props.StringOr(news, "name", oldName)
	err = inTx(ctx, conn, func(tx pgx.Tx) error {
		if err := renameObject(ctx, tx, "SCHEMA", oldName, name, "NAME"); err != nil {
			return err
		}
		if owner := props.StringOr(news, "owner", ""); owner != "" && owner != props.StringOr(olds, "owner", "") {
			return alterObject(ctx, tx, "SCHEMA", name, "OWNER TO "+quoteIdent(owner), "OWNER")
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return r.readAfter(ctx, database, name, news, "update")
}

func (r *schemaResource) Delete(ctx context.Context, id string, state resource.PropertyMap) error {
	database, name := props.StringOr(state, "database", ""), props.StringOr(state, "name", "")
	if database == "" || name == "" {
		database, name, _ = splitSchemaID(id)
	}
	_, conn, release, err := r.p.connect(ctx, database)
	if err != nil {
		return err
	}
	defer release()
	return inTx(ctx, conn, func(tx pgx.Tx) error {
		exists, err := schemaExists(ctx, tx, name)
		if err != nil || !exists {
			return err
		}
		return withRolesGranted(ctx, tx, []string{props.StringOr(state, "owner", "")}, func() error {
			mode := "RESTRICT"
			if props.BoolOr(state, "dropCascade", false) {
				mode = "CASCADE"
			}
			return execWrapped(ctx, tx, "Error deleting schema", "DROP SCHEMA "+quoteIdent(name)+" "+mode)
		})
	})
}
