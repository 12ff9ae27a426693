package pgprovider

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
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
	return checkAtCreate(news, func(m resource.PropertyMap) error { return validateGrant(grantSpecFrom(m)) })
}

// apply is upstream resourcePostgreSQLGrantCreateOrUpdate: in one
// transaction on the grant's database, lock the role (and the database for
// object type database), then, as a member of the owners when needed, revoke
// everything (the previous privileges on an update) and grant the wanted ones.
func (r *grantResource) apply(ctx context.Context, old *grantSpec, g grantSpec) error {
	if err := validateGrant(g); err != nil {
		return err
	}
	rev := g
	if old != nil {
		rev = *old
	}
	return r.inGrantTx(ctx, g, func(tx pgx.Tx) error {
		if err := execRevoke(ctx, tx, rev); err != nil {
			return err
		}
		if q := grantQuery(g); q != "" {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err // upstream grantRolePrivileges returns the server error as is
			}
		}
		return nil
	})
}

// inGrantTx runs fn the way upstream Create/Update/Delete of a grant do:
// connected to the grant's database (an error when it is gone), role and
// database locked, fn run with the owners' memberships granted if needed.
func (r *grantResource) inGrantTx(ctx context.Context, g grantSpec, fn func(tx pgx.Tx) error) error {
	return r.p.inLockedTx(ctx, g.Database, func(tx pgx.Tx) ([]string, error) {
		if err := pgLockRole(ctx, tx, g.Role); err != nil {
			return nil, err
		}
		if g.ObjectType == "database" {
			if err := pgLockDatabase(ctx, tx, g.Database); err != nil {
				return nil, err
			}
		}
		return rolesToGrant(ctx, tx, g)
	}, fn)
}

func execRevoke(ctx context.Context, tx pgx.Tx, g grantSpec) error {
	if q := revokeQuery(g); q != "" {
		return execWrapped(ctx, tx, "could not execute revoke query", q)
	}
	return nil
}

func (r *grantResource) Create(ctx context.Context, in resource.PropertyMap) (string, resource.PropertyMap, error) {
	g := grantSpecFrom(in)
	if err := r.apply(ctx, nil, g); err != nil {
		return "", nil, err
	}
	id, outs, err := r.Read(ctx, grantID(g), in, in)
	return readBack(id, outs, err, fmt.Sprintf("grant %s was not found after its creation", grantID(g)))
}

func (r *grantResource) Update(ctx context.Context, id string, olds, news resource.PropertyMap) (string, resource.PropertyMap, error) {
	old := grantSpecFrom(olds)
	g := grantSpecFrom(news)
	if err := r.apply(ctx, &old, g); err != nil {
		return "", nil, err
	}
	nid, outs, err := r.Read(ctx, id, news, news)
	return readBack(nid, outs, err, fmt.Sprintf("grant %s was not found after its update", grantID(g)))
}

// Delete is upstream resourcePostgreSQLGrantDelete: the same transaction as
// apply, revoking only. Nothing is checked first: a database that is gone is
// a connection error, a schema that is gone "could not find schema '<s>'
// while looking for owner", a role or object that is gone the server's error
// from the REVOKE (role "x" does not exist), and the grant stays in the state.
func (r *grantResource) Delete(ctx context.Context, _ string, state resource.PropertyMap) error {
	g := grantSpecFrom(state)
	return r.inGrantTx(ctx, g, func(tx pgx.Tx) error { return execRevoke(ctx, tx, g) })
}
