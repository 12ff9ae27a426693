package pgprovider

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
	"gatehouse.local/testbed/pulumi/providers/internal/schema"
)

// defaultPrivilegesResource is postgresql_default_privileges: everything
// but privileges forces a replacement; privileges are revoked and granted
// again with ALTER DEFAULT PRIVILEGES FOR ROLE owner [IN SCHEMA s].
type defaultPrivilegesResource struct {
	p   *pg
	sch *schema.Schema
}

func defaultPrivilegesSchema(token string) *schema.Schema {
	return &schema.Schema{
		Token:       token,
		ZeroIsUnset: true,
		Fields: []schema.Field{
			{Name: "role", Kind: schema.String, Required: true, ForceNew: true},
			{Name: "database", Kind: schema.String, Required: true, ForceNew: true},
			{Name: "owner", Kind: schema.String, Required: true, ForceNew: true},
			{Name: "schema", Kind: schema.String, ForceNew: true},
			{Name: "objectType", Kind: schema.String, Required: true, ForceNew: true,
				OneOf: []string{"table", "sequence", "function", "type", "schema"}},
			{Name: "privileges", Kind: schema.StringSet, Required: true},
			{Name: "withGrantOption", Kind: schema.Bool, Default: false, ForceNew: true},
		},
	}
}

func (r *defaultPrivilegesResource) Schema() *schema.Schema { return r.sch }

func defaultPrivilegesSpecFrom(m resource.PropertyMap) defaultPrivilegesSpec {
	return defaultPrivilegesSpec{
		Role:            props.StringOr(m, "role", ""),
		Database:        props.StringOr(m, "database", ""),
		Owner:           props.StringOr(m, "owner", ""),
		Schema:          props.StringOr(m, "schema", ""),
		ObjectType:      props.StringOr(m, "objectType", ""),
		Privileges:      props.SortedSet(props.Strings(m, "privileges")),
		WithGrantOption: props.BoolOr(m, "withGrantOption", false),
	}
}

// Check runs upstream's create-time validation early.
func (r *defaultPrivilegesResource) Check(_, news resource.PropertyMap) (resource.PropertyMap, []*pulumirpc.CheckFailure) {
	return checkAtCreate(news, func(m resource.PropertyMap) error { return validateDefaultPrivileges(defaultPrivilegesSpecFrom(m)) })
}

// apply is upstream resourcePostgreSQLDefaultPrivilegesCreate (also its
// Update): in one transaction, the owner locked and, when needed, granted to
// the admin, revoke everything the role has by default from the owner, then
// grant the wanted privileges.
func (r *defaultPrivilegesResource) apply(ctx context.Context, d defaultPrivilegesSpec) error {
	if err := validateDefaultPrivileges(d); err != nil {
		return err
	}
	return r.inOwnerTx(ctx, d, func(tx pgx.Tx) error {
		if err := revokeDefaultPrivileges(ctx, tx, d); err != nil {
			return err
		}
		if q := defaultPrivilegesGrantQuery(d); q != "" {
			return execWrapped(ctx, tx, "could not alter default privileges", q)
		}
		return nil
	})
}

// inOwnerTx runs fn the way upstream Create/Update/Delete of default
// privileges do: connected to their database (an error when it is gone), the
// owner locked, fn run as a member of the owner if needed.
func (r *defaultPrivilegesResource) inOwnerTx(ctx context.Context, d defaultPrivilegesSpec, fn func(tx pgx.Tx) error) error {
	return r.p.inLockedTx(ctx, d.Database, func(tx pgx.Tx) ([]string, error) {
		if err := pgLockRole(ctx, tx, d.Owner); err != nil {
			return nil, err
		}
		return []string{d.Owner}, nil
	}, fn)
}

func revokeDefaultPrivileges(ctx context.Context, tx pgx.Tx, d defaultPrivilegesSpec) error {
	return execWrapped(ctx, tx, "could not revoke default privileges", defaultPrivilegesRevokeQuery(d))
}

func (r *defaultPrivilegesResource) Create(ctx context.Context, in resource.PropertyMap) (string, resource.PropertyMap, error) {
	d := defaultPrivilegesSpecFrom(in)
	if err := r.apply(ctx, d); err != nil {
		return "", nil, err
	}
	id, outs, err := r.Read(ctx, "", in, in)
	return readBack(id, outs, err, fmt.Sprintf("default privileges %s were not found after their creation", defaultPrivilegesID(d)))
}

func (r *defaultPrivilegesResource) Update(ctx context.Context, id string, _, news resource.PropertyMap) (string, resource.PropertyMap, error) {
	d := defaultPrivilegesSpecFrom(news)
	if err := r.apply(ctx, d); err != nil {
		return "", nil, err
	}
	nid, outs, err := r.Read(ctx, id, news, news)
	return readBack(nid, outs, err, fmt.Sprintf("default privileges %s were not found after their update", defaultPrivilegesID(d)))
}

// Read: gone when the role, database or schema is gone, or when no default
// privilege is left while some were wanted (upstream readRoleDefaultPrivileges).
func (r *defaultPrivilegesResource) Read(ctx context.Context, _ string, state, _ resource.PropertyMap) (string, resource.PropertyMap, error) {
	d := defaultPrivilegesSpecFrom(state)
	if d.Role == "" || d.Database == "" || d.Owner == "" || d.ObjectType == "" {
		return "", nil, errors.New("postgresql_default_privileges cannot be imported: its state is needed to read it")
	}
	_, conn, release, err := r.p.connectIfExists(ctx, d.Database)
	if err != nil || conn == nil {
		return "", nil, err
	}
	defer release()
	if ok, err := checkRoleDBSchemaExists(ctx, conn, []string{d.Role, d.Owner}, d.Schema); err != nil || !ok {
		return "", nil, err
	}
	oid, err := roleOID(ctx, conn, d.Role)
	if err != nil {
		return "", nil, err
	}
	var privs []string
	if d.Schema != "" {
		err = conn.QueryRow(ctx, `SELECT COALESCE(array_agg(prtype), '{}') FROM (
			SELECT defaclnamespace, (aclexplode(defaclacl)).* FROM pg_default_acl WHERE defaclobjtype = $3
		) AS t (namespace, grantor_oid, grantee_oid, prtype, grantable)
		JOIN pg_namespace ON pg_namespace.oid = namespace
		WHERE grantee_oid = $1 AND nspname = $2 AND pg_get_userbyid(grantor_oid) = $4`,
			oid, d.Schema, objectRelkind[d.ObjectType], d.Owner).Scan(&privs)
	} else {
		err = conn.QueryRow(ctx, `SELECT COALESCE(array_agg(prtype), '{}') FROM (
			SELECT defaclnamespace, (aclexplode(defaclacl)).* FROM pg_default_acl WHERE defaclobjtype = $2
		) AS t (namespace, grantor_oid, grantee_oid, prtype, grantable)
		WHERE grantee_oid = $1 AND namespace = 0 AND pg_get_userbyid(grantor_oid) = $3`,
			oid, objectRelkind[d.ObjectType], d.Owner).Scan(&privs)
	}
	if err != nil {
		return "", nil, fmt.Errorf("could not read default privileges: %w", err)
	}
	if len(privs) == 0 && len(d.Privileges) != 0 {
		return "", nil, nil
	}
	outs := stateFields(r.sch, state)
	if !privilegesEqual(d.ObjectType, privs, d.Privileges, serverMajor(ctx, conn)) {
		outs["privileges"] = props.StringList(props.SortedSet(privs))
	}
	return defaultPrivilegesID(d), outs, nil
}

// Delete is upstream resourcePostgreSQLDefaultPrivilegesDelete: connected to
// the database (an error when it is gone), the owner locked, the revoke run
// as a member of the owner when needed. Nothing is checked first: a role,
// owner or schema that is gone is the server's error from the ALTER DEFAULT
// PRIVILEGES (role "x" does not exist, schema "s" does not exist).
func (r *defaultPrivilegesResource) Delete(ctx context.Context, _ string, state resource.PropertyMap) error {
	d := defaultPrivilegesSpecFrom(state)
	return r.inOwnerTx(ctx, d, func(tx pgx.Tx) error { return revokeDefaultPrivileges(ctx, tx, d) })
}
