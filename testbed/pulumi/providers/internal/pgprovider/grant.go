package pgprovider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
	"gatehouse.local/testbed/pulumi/providers/internal/schema"
)

// grantResource is postgresql_grant: everything but privileges forces a
// replacement (delete before replace, as @pulumi/postgresql sets it); a
// change of privileges revokes and grants again in one transaction.
type grantResource struct{ p *pg }

var grantObjectTypes = []string{"database", "function", "procedure", "routine", "schema", "sequence", "table",
	"foreign_data_wrapper", "foreign_server", "column"}

var grantSchema = &schema.Schema{
	Token:               GrantToken,
	DeleteBeforeReplace: true,
	ZeroIsUnset:         true,
	Fields: []schema.Field{
		{Name: "role", Kind: schema.String, Required: true, ForceNew: true},
		{Name: "database", Kind: schema.String, Required: true, ForceNew: true},
		{Name: "schema", Kind: schema.String, ForceNew: true},
		{Name: "objectType", Kind: schema.String, Required: true, ForceNew: true, OneOf: grantObjectTypes},
		{Name: "objects", Kind: schema.StringSet, ForceNew: true},
		{Name: "columns", Kind: schema.StringSet, ForceNew: true},
		{Name: "privileges", Kind: schema.StringSet, Required: true},
		{Name: "withGrantOption", Kind: schema.Bool, Default: false, ForceNew: true},
	},
}

func (r *grantResource) Schema() *schema.Schema { return grantSchema }

func grantSpecFrom(m resource.PropertyMap) grantSpec {
	return grantSpec{
		Role:            props.StringOr(m, "role", ""),
		Database:        props.StringOr(m, "database", ""),
		Schema:          props.StringOr(m, "schema", ""),
		ObjectType:      props.StringOr(m, "objectType", ""),
		Objects:         props.SortedSet(props.Strings(m, "objects")),
		Columns:         props.SortedSet(props.Strings(m, "columns")),
		Privileges:      props.SortedSet(props.Strings(m, "privileges")),
		WithGrantOption: props.BoolOr(m, "withGrantOption", false),
	}
}

// Check runs upstream's parameter validation early (it runs at create time upstream).
func (r *grantResource) Check(_, news resource.PropertyMap) (resource.PropertyMap, []*pulumirpc.CheckFailure) {
	if news.ContainsUnknowns() {
		return news, nil
	}
	if err := validateGrant(grantSpecFrom(news)); err != nil {
		return news, []*pulumirpc.CheckFailure{{Reason: err.Error()}}
	}
	return news, nil
}

// rolesToGrant: the owners of the schema and of its tables (needed when the
// connected user is not a superuser).
func rolesToGrant(ctx context.Context, q querier, g grantSpec) ([]string, error) {
	if g.noSchema() || g.Schema == "" {
		return nil, nil
	}
	var owners []string
	if g.ObjectType != "schema" {
		rows, err := q.Query(ctx, `SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1`, g.Schema)
		if err != nil {
			return nil, err
		}
		owners, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, err
		}
	}
	var schemaOwner string
	err := q.QueryRow(ctx, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = $1", g.Schema).Scan(&schemaOwner)
	if err != nil {
		return nil, fmt.Errorf("could not get owner of schema %s: %w", g.Schema, err)
	}
	return append(owners, schemaOwner), nil
}

func (r *grantResource) apply(ctx context.Context, old *grantSpec, g grantSpec) error {
	if err := validateGrant(g); err != nil {
		return err
	}
	cfg, err := r.p.config()
	if err != nil {
		return err
	}
	conn, err := cfg.Connect(ctx, g.Database)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return inTx(ctx, conn, func(tx pgx.Tx) error {
		if err := pgLockRole(ctx, tx, g.Role); err != nil {
			return err
		}
		if g.ObjectType == "database" {
			if err := pgLockDatabase(ctx, tx, g.Database); err != nil {
				return err
			}
		}
		owners, err := rolesToGrant(ctx, tx, g)
		if err != nil {
			return err
		}
		return withRolesGranted(ctx, tx, owners, func() error {
			// Revoke first (the previous privileges on an update), then grant, in
			// one transaction so the role never loses what it keeps.
			rev := g
			if old != nil {
				rev = *old
			}
			if q := revokeQuery(rev); q != "" {
				if _, err := tx.Exec(ctx, q); err != nil {
					return fmt.Errorf("could not execute revoke query: %w", err)
				}
			}
			if q := grantQuery(g); q != "" {
				if _, err := tx.Exec(ctx, q); err != nil {
					return fmt.Errorf("could not execute grant query: %w", err)
				}
			}
			return nil
		})
	})
}

func (r *grantResource) Create(ctx context.Context, in resource.PropertyMap) (string, resource.PropertyMap, error) {
	g := grantSpecFrom(in)
	if err := r.apply(ctx, nil, g); err != nil {
		return "", nil, err
	}
	id, outs, err := r.Read(ctx, grantID(g), in, in)
	if err == nil && id == "" {
		err = fmt.Errorf("grant %s was not found after its creation", grantID(g))
	}
	return id, outs, err
}

func (r *grantResource) Update(ctx context.Context, id string, olds, news resource.PropertyMap) (string, resource.PropertyMap, error) {
	old := grantSpecFrom(olds)
	g := grantSpecFrom(news)
	if err := r.apply(ctx, &old, g); err != nil {
		return "", nil, err
	}
	nid, outs, err := r.Read(ctx, id, news, news)
	if err == nil && nid == "" {
		err = fmt.Errorf("grant %s was not found after its update", grantID(g))
	}
	return nid, outs, err
}

// Read reports the grant gone when its database, role or schema is gone, and
// the privileges actually granted when they differ from the state.
func (r *grantResource) Read(ctx context.Context, _ string, state, _ resource.PropertyMap) (string, resource.PropertyMap, error) {
	g := grantSpecFrom(state)
	if g.Role == "" || g.Database == "" || g.ObjectType == "" {
		return "", nil, errors.New("postgresql_grant cannot be imported: its state is needed to read it")
	}
	cfg, err := r.p.config()
	if err != nil {
		return "", nil, err
	}
	conn, err := cfg.ConnectIfExists(ctx, g.Database)
	if err != nil {
		return "", nil, err
	}
	if conn == nil {
		return "", nil, nil
	}
	defer conn.Close(context.Background())
	if g.Role != publicRole {
		if ok, err := roleExists(ctx, conn, g.Role); err != nil || !ok {
			return "", nil, err
		}
	}
	if !g.noSchema() && g.Schema != "" {
		if ok, err := schemaExists(ctx, conn, g.Schema); err != nil || !ok {
			return "", nil, err
		}
	}
	granted, err := readGrantedPrivileges(ctx, conn, g)
	if err != nil {
		return "", nil, err
	}
	outs := resource.PropertyMap{}
	for _, f := range grantSchema.Fields {
		if v, ok := state[resource.PropertyKey(f.Name)]; ok {
			outs[resource.PropertyKey(f.Name)] = v
		}
	}
	if granted != nil {
		outs["privileges"] = props.StringList(props.SortedSet(granted))
	}
	return grantID(g), outs, nil
}

// readGrantedPrivileges returns nil when the granted privileges match the
// wanted ones, else the privileges found (upstream readRolePrivileges).
func readGrantedPrivileges(ctx context.Context, conn *pgx.Conn, g grantSpec) ([]string, error) {
	oid, err := roleOID(ctx, conn, g.Role)
	if err != nil {
		return nil, err
	}
	major := serverMajor(ctx, conn)
	single := func(sql string, args ...any) ([]string, error) {
		var privs []string
		if err := conn.QueryRow(ctx, sql, args...).Scan(&privs); err != nil {
			return nil, fmt.Errorf("could not read privileges: %w", err)
		}
		if privilegesEqual(g.ObjectType, privs, g.Privileges, major) {
			return nil, nil
		}
		if privs == nil {
			privs = []string{}
		}
		return privs, nil
	}
	switch g.ObjectType {
	case "database":
		return single(`SELECT COALESCE(array_agg(privilege_type), '{}') FROM (
			SELECT (aclexplode(datacl)).* FROM pg_database WHERE datname = $1) AS p WHERE grantee = $2`, g.Database, oid)
	case "schema":
		return single(`SELECT COALESCE(array_agg(privilege_type), '{}') FROM (
			SELECT (aclexplode(nspacl)).* FROM pg_namespace WHERE nspname = $1) AS p WHERE grantee = $2`, g.Schema, oid)
	case "foreign_data_wrapper":
		return single(`SELECT COALESCE(array_agg(privilege_type), '{}') FROM (
			SELECT (aclexplode(fdwacl)).* FROM pg_foreign_data_wrapper WHERE fdwname = $1) AS p WHERE grantee = $2`, g.Objects[0], oid)
	case "foreign_server":
		return single(`SELECT COALESCE(array_agg(privilege_type), '{}') FROM (
			SELECT (aclexplode(srvacl)).* FROM pg_foreign_server WHERE srvname = $1) AS p WHERE grantee = $2`, g.Objects[0], oid)
	case "column":
		var found []string
		rows, err := conn.Query(ctx, `SELECT attname FROM (
			SELECT attname, (aclexplode(attacl)).* FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2) AS p
			WHERE grantee = $3 AND privilege_type = $4`, g.Schema, g.Objects[0], oid, strings.ToUpper(g.Privileges[0]))
		if err != nil {
			return nil, err
		}
		found, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, err
		}
		for _, c := range g.Columns {
			ok := false
			for _, f := range found {
				ok = ok || f == c
			}
			if !ok {
				return []string{}, nil
			}
		}
		return nil, nil
	}
	var sql string
	var args []any
	switch g.ObjectType {
	case "function", "procedure", "routine":
		sql = `SELECT p.proname, COALESCE(array_remove(array_agg(a.privilege_type), NULL), '{}')
			FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			LEFT JOIN LATERAL (SELECT (aclexplode(p.proacl)).*) a ON a.grantee = $1
			WHERE n.nspname = $2 GROUP BY p.proname`
		args = []any{oid, g.Schema}
	default:
		sql = `SELECT c.relname, COALESCE(array_remove(array_agg(a.privilege_type), NULL), '{}')
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			LEFT JOIN LATERAL (SELECT (aclexplode(c.relacl)).*) a ON a.grantee = $1
			WHERE n.nspname = $2 AND c.relkind = $3 GROUP BY c.relname`
		args = []any{oid, g.Schema, objectRelkind[g.ObjectType]}
	}
	rows, err := conn.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	wanted := map[string]bool{}
	for _, o := range g.Objects {
		wanted[o] = true
	}
	for rows.Next() {
		var name string
		var privs []string
		if err := rows.Scan(&name, &privs); err != nil {
			return nil, err
		}
		if len(wanted) > 0 && !wanted[name] {
			continue
		}
		if !privilegesEqual(g.ObjectType, privs, g.Privileges, major) {
			if privs == nil {
				privs = []string{}
			}
			return privs, nil
		}
	}
	return nil, rows.Err()
}

// Delete revokes; objects, schema or role already gone count as revoked.
func (r *grantResource) Delete(ctx context.Context, _ string, state resource.PropertyMap) error {
	g := grantSpecFrom(state)
	cfg, err := r.p.config()
	if err != nil {
		return err
	}
	conn, err := cfg.ConnectIfExists(ctx, g.Database)
	if err != nil {
		return err
	}
	if conn == nil {
		return nil
	}
	defer conn.Close(context.Background())
	err = inTx(ctx, conn, func(tx pgx.Tx) error {
		if err := pgLockRole(ctx, tx, g.Role); err != nil {
			return err
		}
		if g.ObjectType == "database" {
			if err := pgLockDatabase(ctx, tx, g.Database); err != nil {
				return err
			}
		}
		owners, err := rolesToGrant(ctx, tx, g)
		if err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return nil // schema gone
			}
			return err
		}
		return withRolesGranted(ctx, tx, owners, func() error {
			if q := revokeQuery(g); q != "" {
				if _, err := tx.Exec(ctx, q); err != nil {
					return fmt.Errorf("could not execute revoke query: %w", err)
				}
			}
			return nil
		})
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "3F000", "42704": // schema or role gone
			return nil
		case "42P01", "42883", "42703": // single object gone
			if len(g.Objects) <= 1 && len(g.Columns) <= 1 {
				return nil
			}
		}
	}
	return err
}
