package pgprovider

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
	"gatehouse.local/testbed/pulumi/providers/internal/schema"
)

// roleResource is postgresql_role: no property forces a replacement; a
// rename is ALTER ROLE ... RENAME TO and a password change ALTER ROLE ... PASSWORD.
type roleResource struct{ p *pg }

var roleSchema = &schema.Schema{
	Token:       RoleToken,
	ZeroIsUnset: true,
	AutoName:    true,
	Fields: []schema.Field{
		{Name: "name", Kind: schema.String, Required: true},
		{Name: "password", Kind: schema.String, Secret: true},
		{Name: "passwordWo", Kind: schema.String, Secret: true},
		{Name: "passwordWoVersion", Kind: schema.String},
		{Name: "encrypted", Kind: schema.String},
		{Name: "roles", Kind: schema.StringSet},
		{Name: "searchPaths", Kind: schema.StringList},
		{Name: "encryptedPassword", Kind: schema.Bool, Default: true},
		{Name: "validUntil", Kind: schema.String, Default: "infinity"},
		{Name: "connectionLimit", Kind: schema.Int, Default: -1, Min: schema.IntPtr(-1)},
		{Name: "superuser", Kind: schema.Bool, Default: false},
		{Name: "createDatabase", Kind: schema.Bool, Default: false},
		{Name: "createRole", Kind: schema.Bool, Default: false},
		{Name: "idleInTransactionSessionTimeout", Kind: schema.Int, Min: schema.IntPtr(0)},
		{Name: "inherit", Kind: schema.Bool, Default: true},
		{Name: "login", Kind: schema.Bool, Default: false},
		{Name: "replication", Kind: schema.Bool, Default: false},
		{Name: "bypassRowLevelSecurity", Kind: schema.Bool, Default: false},
		{Name: "skipDropRole", Kind: schema.Bool, Default: false},
		{Name: "skipReassignOwned", Kind: schema.Bool, Default: false},
		{Name: "statementTimeout", Kind: schema.Int, Min: schema.IntPtr(0)},
		{Name: "assumeRole", Kind: schema.String},
	},
}

func (r *roleResource) Schema() *schema.Schema { return roleSchema }

func roleSpecFrom(m resource.PropertyMap) roleSpec {
	pw, has := props.String(m, "password")
	if wo, ok := props.String(m, "passwordWo"); ok && !has {
		pw, has = wo, true
	}
	return roleSpec{
		Name:              props.StringOr(m, "name", ""),
		Password:          pw,
		HasPassword:       has,
		EncryptedPassword: props.BoolOr(m, "encryptedPassword", true),
		ValidUntil:        props.StringOr(m, "validUntil", "infinity"),
		ConnectionLimit:   props.IntOr(m, "connectionLimit", -1),
		Superuser:         props.BoolOr(m, "superuser", false),
		CreateDatabase:    props.BoolOr(m, "createDatabase", false),
		CreateRole:        props.BoolOr(m, "createRole", false),
		Inherit:           props.BoolOr(m, "inherit", true),
		Login:             props.BoolOr(m, "login", false),
		Replication:       props.BoolOr(m, "replication", false),
		BypassRLS:         props.BoolOr(m, "bypassRowLevelSecurity", false),
	}
}

func (r *roleResource) Create(ctx context.Context, in resource.PropertyMap) (string, resource.PropertyMap, error) {
	cfg, conn, release, err := r.p.connect(ctx, "")
	if err != nil {
		return "", nil, err
	}
	defer release()
	spec := roleSpecFrom(in)
	err = inTx(ctx, conn, func(tx pgx.Tx) error {
		if err := execWrapped(ctx, tx, "error creating role "+spec.Name, createRoleQuery(spec)); err != nil {
			return err
		}
		return applyRoleSettings(ctx, tx, nil, in, true)
	})
	if err != nil {
		return "", nil, err
	}
	id, outs, err := r.read(ctx, cfg, conn, spec.Name, in)
	return readBack(id, outs, err, fmt.Sprintf("role %s was not found after its creation", spec.Name))
}

func (r *roleResource) Update(ctx context.Context, id string, olds, news resource.PropertyMap) (string, resource.PropertyMap, error) {
	cfg, conn, release, err := r.p.connect(ctx, "")
	if err != nil {
		return "", nil, err
	}
	defer release()
	oldName := props.StringOr(olds, "name", id)
	name := props.StringOr(news, "name", oldName)
	changed := func(k string) bool {
		return fmt.Sprint(props.Plain(olds[resource.PropertyKey(k)])) != fmt.Sprint(props.Plain(news[resource.PropertyKey(k)]))
	}
	err = inTx(ctx, conn, func(tx pgx.Tx) error {
		if err := pgLockRole(ctx, tx, oldName); err != nil {
			return err
		}
		if err := renameObject(ctx, tx, "ROLE", oldName, name, "NAME"); err != nil {
			return err
		}
		// A rename resets an md5 password, so the password is set again then.
		pwChanged := changed("password") || name != oldName
		pw := props.StringOr(news, "password", "")
		if !props.Has(news, "password") && props.Has(news, "passwordWo") {
			pwChanged = changed("passwordWoVersion") || name != oldName
			pw = props.StringOr(news, "passwordWo", "")
		}
		if pwChanged {
			if err := execWrapped(ctx, tx, "Error updating role password", alterRolePasswordQuery(name, pw)); err != nil {
				return err
			}
		}
		attribute := func(key, yes, no string) alteration {
			return alteration{key, "WITH " + flag(props.BoolOr(news, key, false), yes, no), yes}
		}
		validUntil := props.StringOr(news, "validUntil", "")
		if strings.ToLower(validUntil) == "infinity" {
			validUntil = "infinity"
		}
		if validUntil != "" {
			validUntil = "VALID UNTIL " + quoteLiteral(validUntil)
		}
		err := alterChanged(ctx, tx, "ROLE", name, changed, []alteration{
			attribute("bypassRowLevelSecurity", "BYPASSRLS", "NOBYPASSRLS"),
			attribute("createDatabase", "CREATEDB", "NOCREATEDB"),
			attribute("createRole", "CREATEROLE", "NOCREATEROLE"),
			attribute("inherit", "INHERIT", "NOINHERIT"),
			attribute("login", "LOGIN", "NOLOGIN"),
			attribute("replication", "REPLICATION", "NOREPLICATION"),
			attribute("superuser", "SUPERUSER", "NOSUPERUSER"),
			{"connectionLimit", fmt.Sprintf("CONNECTION LIMIT %d", props.IntOr(news, "connectionLimit", -1)), "CONNECTION LIMIT"},
			{"validUntil", validUntil, "VALID UNTIL"},
		})
		if err != nil {
			return err
		}
		return applyRoleSettings(ctx, tx, olds, news, false)
	})
	if err != nil {
		return "", nil, err
	}
	nid, outs, err := r.read(ctx, cfg, conn, name, news)
	return readBack(nid, outs, err, fmt.Sprintf("role %s was not found after its update", name))
}

func (r *roleResource) Delete(ctx context.Context, id string, state resource.PropertyMap) error {
	cfg, conn, release, err := r.p.connect(ctx, "")
	if err != nil {
		return err
	}
	defer release()
	name := props.StringOr(state, "name", id)
	return inTx(ctx, conn, func(tx pgx.Tx) error {
		if err := pgLockRole(ctx, tx, name); err != nil {
			return err
		}
		if !props.BoolOr(state, "skipReassignOwned", false) {
			err := withRolesGranted(ctx, tx, []string{name}, func() error {
				if err := execWrapped(ctx, tx, fmt.Sprintf("could not reassign owned by role %s to %s", name, cfg.CurrentUser()),
					"REASSIGN OWNED BY "+quoteIdent(name)+" TO "+quoteIdent(cfg.CurrentUser())); err != nil {
					return err
				}
				return execWrapped(ctx, tx, "could not drop owned by role "+name, "DROP OWNED BY "+quoteIdent(name))
			})
			if err != nil {
				return err
			}
		}
		if !props.BoolOr(state, "skipDropRole", false) {
			return execWrapped(ctx, tx, "could not delete role "+name, "DROP ROLE "+quoteIdent(name))
		}
		return nil
	})
}
