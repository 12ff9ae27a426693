package pgprovider

import (
	"context"
	"errors"
	"fmt"

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
