package pgprovider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
	"gatehouse.local/testbed/pulumi/providers/internal/schema"
)

// databaseResource is postgresql_database: template, encoding, lcCollate and
// lcCtype force a replacement; name (RENAME), owner, tablespace, connection
// limit, allowConnections and isTemplate change in place.
type databaseResource struct{ p *pg }

var databaseSchema = &schema.Schema{
	Token:       DatabaseToken,
	AutoName:    true,
	ZeroIsUnset: true,
	Fields: []schema.Field{
		{Name: "name", Kind: schema.String, Required: true},
		{Name: "owner", Kind: schema.String, Computed: true},
		{Name: "template", Kind: schema.String, Computed: true, ForceNew: true},
		{Name: "encoding", Kind: schema.String, Computed: true, ForceNew: true},
		{Name: "lcCollate", Kind: schema.String, Computed: true, ForceNew: true},
		{Name: "lcCtype", Kind: schema.String, Computed: true, ForceNew: true},
		{Name: "tablespaceName", Kind: schema.String, Computed: true},
		{Name: "connectionLimit", Kind: schema.Int, Default: -1, Min: schema.IntPtr(-1)},
		{Name: "allowConnections", Kind: schema.Bool, Default: true},
		{Name: "isTemplate", Kind: schema.Bool, Computed: true},
		{Name: "alterObjectOwnership", Kind: schema.Bool, Default: false},
	},
}

func (r *databaseResource) Schema() *schema.Schema { return databaseSchema }

func databaseSpecFrom(m resource.PropertyMap) databaseSpec {
	return databaseSpec{
		Name:             props.StringOr(m, "name", ""),
		Owner:            props.StringOr(m, "owner", ""),
		Template:         props.StringOr(m, "template", ""),
		Encoding:         props.StringOr(m, "encoding", ""),
		LcCollate:        props.StringOr(m, "lcCollate", ""),
		LcCtype:          props.StringOr(m, "lcCtype", ""),
		Tablespace:       props.StringOr(m, "tablespaceName", ""),
		ConnectionLimit:  props.IntOr(m, "connectionLimit", -1),
		AllowConnections: props.BoolOr(m, "allowConnections", true),
		IsTemplate:       props.BoolOr(m, "isTemplate", false),
	}
}

func (r *databaseResource) Create(ctx context.Context, in resource.PropertyMap) (string, resource.PropertyMap, error) {
	cfg, conn, release, err := r.p.connect(ctx, "")
	if err != nil {
		return "", nil, err
	}
	defer release()
	spec := databaseSpecFrom(in)
	// CREATE DATABASE cannot run in a transaction block.
	err = withOwnerMembership(ctx, conn, spec.Owner, cfg.CurrentUser(), func() error {
		return execWrapped(ctx, conn, fmt.Sprintf("Error creating database %q", spec.Name), createDatabaseQuery(spec, cfg.CurrentUser()))
	})
	if err != nil {
		return "", nil, err
	}
	id, outs, err := r.read(ctx, conn, spec.Name, in)
	return readBack(id, outs, err, fmt.Sprintf("database %s was not found after its creation", spec.Name))
}

func (r *databaseResource) Read(ctx context.Context, id string, state, _ resource.PropertyMap) (string, resource.PropertyMap, error) {
	_, conn, release, err := r.p.connect(ctx, "")
	if err != nil {
		return "", nil, err
	}
	defer release()
	return r.read(ctx, conn, id, state)
}

func (r *databaseResource) read(ctx context.Context, conn *pgx.Conn, id string, state resource.PropertyMap) (string, resource.PropertyMap, error) {
	var (
		name, owner, encoding, collate, ctype, tablespace string
		connLimit                                         int64
		allowConn, isTemplate                             bool
	)
	err := conn.QueryRow(ctx, `SELECT d.datname, pg_catalog.pg_get_userbyid(d.datdba),
		pg_catalog.pg_encoding_to_char(d.encoding), d.datcollate, d.datctype, ts.spcname, d.datconnlimit,
		d.datallowconn, d.datistemplate
		FROM pg_catalog.pg_database AS d, pg_catalog.pg_tablespace AS ts
		WHERE d.datname = $1 AND d.dattablespace = ts.oid`, id).
		Scan(&name, &owner, &encoding, &collate, &ctype, &tablespace, &connLimit, &allowConn, &isTemplate)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("Error reading database: %w", err)
	}
	template := props.StringOr(state, "template", "")
	if template == "" {
		template = "template0"
	}
	outs := resource.PropertyMap{
		"name":                 resource.NewStringProperty(name),
		"owner":                resource.NewStringProperty(owner),
		"template":             resource.NewStringProperty(template),
		"encoding":             resource.NewStringProperty(encoding),
		"lcCollate":            resource.NewStringProperty(collate),
		"lcCtype":              resource.NewStringProperty(ctype),
		"tablespaceName":       resource.NewStringProperty(tablespace),
		"connectionLimit":      resource.NewNumberProperty(float64(connLimit)),
		"allowConnections":     resource.NewBoolProperty(allowConn),
		"isTemplate":           resource.NewBoolProperty(isTemplate),
		"alterObjectOwnership": resource.NewBoolProperty(props.BoolOr(state, "alterObjectOwnership", false)),
	}
	return name, outs, nil
}

func (r *databaseResource) Update(ctx context.Context, id string, olds, news resource.PropertyMap) (string, resource.PropertyMap, error) {
	cfg, conn, release, err := r.p.connect(ctx, "")
	if err != nil {
		return "", nil, err
	}
	defer release()
	changed := func(k string) bool {
		if !props.Has(news, k) && !props.IsUnknown(news, k) {
			if f, _ := databaseSchema.Field(k); f.Computed {
				return false
			}
		}
		return fmt.Sprint(props.Plain(olds[resource.PropertyKey(k)])) != fmt.Sprint(props.Plain(news[resource.PropertyKey(k)]))
	}
	oldName := props.StringOr(olds, "name", id)
	name := props.StringOr(news, "name", oldName)
	if err := renameObject(ctx, conn, "DATABASE", oldName, name, "name"); err != nil {
		return "", nil, err
	}
	if changed("owner") {
		if owner := props.StringOr(news, "owner", ""); owner != "" {
			err := withOwnerMembership(ctx, conn, owner, cfg.CurrentUser(), func() error {
				return alterObject(ctx, conn, "DATABASE", name, "OWNER TO "+quoteIdent(owner), "OWNER")
			})
			if err != nil {
				return "", nil, err
			}
			if oldOwner := props.StringOr(olds, "owner", ""); props.BoolOr(news, "alterObjectOwnership", false) && oldOwner != "" && oldOwner != owner {
				if err := reassignInDatabase(ctx, cfg, name, oldOwner, owner); err != nil {
					return "", nil, err
				}
			}
		}
	}
	ts := props.StringOr(news, "tablespaceName", "")
	tablespace := "SET TABLESPACE " + quoteIdent(ts)
	if ts == "" || strings.ToUpper(ts) == "DEFAULT" {
		tablespace = "RESET TABLESPACE"
	}
	err = alterChanged(ctx, conn, "DATABASE", name, changed, []alteration{
		{"tablespaceName", tablespace, "TABLESPACE"},
		{"connectionLimit", fmt.Sprintf("CONNECTION LIMIT = %d", props.IntOr(news, "connectionLimit", -1)), "CONNECTION LIMIT"},
		{"allowConnections", fmt.Sprintf("ALLOW_CONNECTIONS %t", props.BoolOr(news, "allowConnections", true)), "ALLOW_CONNECTIONS"},
		{"isTemplate", fmt.Sprintf("IS_TEMPLATE %t", props.BoolOr(news, "isTemplate", false)), "IS_TEMPLATE"},
	})
	if err != nil {
		return "", nil, err
	}
	state := news.Copy()
	if !props.Has(news, "template") {
		state["template"] = olds["template"]
	}
	nid, outs, err := r.read(ctx, conn, name, state)
	return readBack(nid, outs, err, fmt.Sprintf("database %s was not found after its update", name))
}

func reassignInDatabase(ctx context.Context, cfg Config, database, from, to string) error {
	conn, err := cfg.Connect(ctx, database)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return withRolesGranted(ctx, conn, []string{from, to}, func() error {
		return execWrapped(ctx, conn, fmt.Sprintf("Error reassigning objects owned by %s to %s", from, to),
			"REASSIGN OWNED BY "+quoteIdent(from)+" TO "+quoteIdent(to))
	})
}

// Delete clears IS_TEMPLATE, blocks and terminates connections, then drops the database.
func (r *databaseResource) Delete(ctx context.Context, id string, state resource.PropertyMap) error {
	cfg, conn, release, err := r.p.connect(ctx, "")
	if err != nil {
		return err
	}
	defer release()
	name := props.StringOr(state, "name", id)
	return withOwnerMembership(ctx, conn, props.StringOr(state, "owner", ""), cfg.CurrentUser(), func() error {
		if props.BoolOr(state, "isTemplate", false) {
			if err := alterObject(ctx, conn, "DATABASE", name, "IS_TEMPLATE false", "IS_TEMPLATE during DROP DATABASE"); err != nil {
				return err
			}
		}
		if err := execWrapped(ctx, conn, "Error blocking connections to database", "ALTER DATABASE "+quoteIdent(name)+" ALLOW_CONNECTIONS false"); err != nil {
			return err
		}
		if err := execWrapped(ctx, conn, "Error terminating database connections",
			"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name); err != nil {
			return err
		}
		return execWrapped(ctx, conn, "Error dropping database", "DROP DATABASE "+quoteIdent(name))
	})
}
