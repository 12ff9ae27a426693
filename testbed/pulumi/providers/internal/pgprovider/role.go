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
	cfg, err := r.p.config()
	if err != nil {
		return "", nil, err
	}
	conn, err := cfg.Connect(ctx, "")
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(context.Background())
	spec := roleSpecFrom(in)
	err = inTx(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, createRoleQuery(spec)); err != nil {
			return fmt.Errorf("error creating role %s: %w", spec.Name, err)
		}
		return applyRoleSettings(ctx, tx, nil, in, true)
	})
	if err != nil {
		return "", nil, err
	}
	id, outs, err := r.read(ctx, cfg, conn, spec.Name, in)
	if err != nil {
		return "", nil, err
	}
	if id == "" {
		return "", nil, fmt.Errorf("role %s was not found after its creation", spec.Name)
	}
	return id, outs, nil
}

func (r *roleResource) Update(ctx context.Context, id string, olds, news resource.PropertyMap) (string, resource.PropertyMap, error) {
	cfg, err := r.p.config()
	if err != nil {
		return "", nil, err
	}
	conn, err := cfg.Connect(ctx, "")
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(context.Background())
	oldName := props.StringOr(olds, "name", id)
	name := props.StringOr(news, "name", oldName)
	changed := func(k string) bool {
		return fmt.Sprint(props.Plain(olds[resource.PropertyKey(k)])) != fmt.Sprint(props.Plain(news[resource.PropertyKey(k)]))
	}
	err = inTx(ctx, conn, func(tx pgx.Tx) error {
		if err := pgLockRole(ctx, tx, oldName); err != nil {
			return err
		}
		if name != oldName {
			if name == "" {
				return errors.New("Error setting role name to an empty string")
			}
			if _, err := tx.Exec(ctx, "ALTER ROLE "+quoteIdent(oldName)+" RENAME TO "+quoteIdent(name)); err != nil {
				return fmt.Errorf("Error updating role NAME: %w", err)
			}
		}
		// A rename resets an md5 password, so the password is set again then.
		pwChanged := changed("password") || name != oldName
		pw := props.StringOr(news, "password", "")
		if !props.Has(news, "password") && props.Has(news, "passwordWo") {
			pwChanged = changed("passwordWoVersion") || name != oldName
			pw = props.StringOr(news, "passwordWo", "")
		}
		if pwChanged {
			if _, err := tx.Exec(ctx, alterRolePasswordQuery(name, pw)); err != nil {
				return fmt.Errorf("Error updating role password: %w", err)
			}
		}
		for _, a := range []struct{ key, yes, no string }{
			{"bypassRowLevelSecurity", "BYPASSRLS", "NOBYPASSRLS"},
			{"createDatabase", "CREATEDB", "NOCREATEDB"},
			{"createRole", "CREATEROLE", "NOCREATEROLE"},
			{"inherit", "INHERIT", "NOINHERIT"},
			{"login", "LOGIN", "NOLOGIN"},
			{"replication", "REPLICATION", "NOREPLICATION"},
			{"superuser", "SUPERUSER", "NOSUPERUSER"},
		} {
			if !changed(a.key) {
				continue
			}
			tok := flag(props.BoolOr(news, a.key, false), a.yes, a.no)
			if _, err := tx.Exec(ctx, "ALTER ROLE "+quoteIdent(name)+" WITH "+tok); err != nil {
				return fmt.Errorf("Error updating role %s: %w", a.yes, err)
			}
		}
		if changed("connectionLimit") {
			sql := fmt.Sprintf("ALTER ROLE %s CONNECTION LIMIT %d", quoteIdent(name), props.IntOr(news, "connectionLimit", -1))
			if _, err := tx.Exec(ctx, sql); err != nil {
				return fmt.Errorf("Error updating role CONNECTION LIMIT: %w", err)
			}
		}
		if changed("validUntil") {
			if v := props.StringOr(news, "validUntil", ""); v != "" {
				if strings.ToLower(v) == "infinity" {
					v = "infinity"
				}
				if _, err := tx.Exec(ctx, "ALTER ROLE "+quoteIdent(name)+" VALID UNTIL "+quoteLiteral(v)); err != nil {
					return fmt.Errorf("Error updating role VALID UNTIL: %w", err)
				}
			}
		}
		return applyRoleSettings(ctx, tx, olds, news, false)
	})
	if err != nil {
		return "", nil, err
	}
	nid, outs, err := r.read(ctx, cfg, conn, name, news)
	if err != nil {
		return "", nil, err
	}
	if nid == "" {
		return "", nil, fmt.Errorf("role %s was not found after its update", name)
	}
	return nid, outs, nil
}

func (r *roleResource) Delete(ctx context.Context, id string, state resource.PropertyMap) error {
	cfg, err := r.p.config()
	if err != nil {
		return err
	}
	conn, err := cfg.Connect(ctx, "")
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	name := props.StringOr(state, "name", id)
	return inTx(ctx, conn, func(tx pgx.Tx) error {
		if err := pgLockRole(ctx, tx, name); err != nil {
			return err
		}
		if !props.BoolOr(state, "skipReassignOwned", false) {
			err := withRolesGranted(ctx, tx, []string{name}, func() error {
				if _, err := tx.Exec(ctx, "REASSIGN OWNED BY "+quoteIdent(name)+" TO "+quoteIdent(cfg.CurrentUser())); err != nil {
					return fmt.Errorf("could not reassign owned by role %s to %s: %w", name, cfg.CurrentUser(), err)
				}
				if _, err := tx.Exec(ctx, "DROP OWNED BY "+quoteIdent(name)); err != nil {
					return fmt.Errorf("could not drop owned by role %s: %w", name, err)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		if !props.BoolOr(state, "skipDropRole", false) {
			if _, err := tx.Exec(ctx, "DROP ROLE "+quoteIdent(name)); err != nil {
				return fmt.Errorf("could not delete role %s: %w", name, err)
			}
		}
		return nil
	})
}
