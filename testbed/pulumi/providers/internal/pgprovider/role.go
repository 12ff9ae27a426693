package pgprovider

import (
	"context"
	"crypto/md5"
	"encoding/hex"
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

// applyRoleSettings applies memberships, search_path, timeouts and the
// assumed role; olds is nil on create.
func applyRoleSettings(ctx context.Context, tx pgx.Tx, olds, news resource.PropertyMap, create bool) error {
	name := props.StringOr(news, "name", "")
	changed := func(k string) bool {
		if create {
			return props.Has(news, k)
		}
		return fmt.Sprint(props.Plain(olds[resource.PropertyKey(k)])) != fmt.Sprint(props.Plain(news[resource.PropertyKey(k)]))
	}
	if !create {
		// Revoke every membership, then grant the wanted ones.
		rows, err := tx.Query(ctx, `SELECT pg_get_userbyid(roleid) FROM pg_catalog.pg_auth_members members
			JOIN pg_catalog.pg_roles ON members.member = pg_roles.oid WHERE rolname = $1`, name)
		if err != nil {
			return fmt.Errorf("could not get roles list for role %s: %w", name, err)
		}
		granted, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("could not get roles list for role %s: %w", name, err)
		}
		for _, g := range granted {
			if _, err := tx.Exec(ctx, "REVOKE "+quoteIdent(g)+" FROM "+quoteIdent(name)); err != nil {
				return fmt.Errorf("could not revoke role %s from %s: %w", g, name, err)
			}
		}
	}
	for _, g := range props.SortedSet(props.Strings(news, "roles")) {
		if _, err := tx.Exec(ctx, "GRANT "+quoteIdent(g)+" TO "+quoteIdent(name)); err != nil {
			return fmt.Errorf("could not grant role %s to %s: %w", g, name, err)
		}
	}
	q, err := searchPathQuery(name, props.Strings(news, "searchPaths"))
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, q); err != nil {
		return fmt.Errorf("could not set search_path for %s: %w", name, err)
	}
	for _, t := range []struct{ key, setting string }{
		{"statementTimeout", "statement_timeout"},
		{"idleInTransactionSessionTimeout", "idle_in_transaction_session_timeout"},
	} {
		if !changed(t.key) {
			continue
		}
		v := props.IntOr(news, t.key, 0)
		sql := fmt.Sprintf("ALTER ROLE %s SET %s TO %d", quoteIdent(name), t.setting, v)
		if v == 0 {
			sql = fmt.Sprintf("ALTER ROLE %s RESET %s", quoteIdent(name), t.setting)
		}
		if _, err := tx.Exec(ctx, sql); err != nil {
			return fmt.Errorf("could not set %s for %s: %w", t.setting, name, err)
		}
	}
	if changed("assumeRole") {
		sql := "ALTER ROLE " + quoteIdent(name) + " RESET ROLE"
		if a := props.StringOr(news, "assumeRole", ""); a != "" {
			sql = "ALTER ROLE " + quoteIdent(name) + " SET ROLE TO " + quoteIdent(a)
		}
		if _, err := tx.Exec(ctx, sql); err != nil {
			return fmt.Errorf("could not set role for %s: %w", name, err)
		}
	}
	return nil
}

func (r *roleResource) Read(ctx context.Context, id string, state, _ resource.PropertyMap) (string, resource.PropertyMap, error) {
	cfg, err := r.p.config()
	if err != nil {
		return "", nil, err
	}
	conn, err := cfg.Connect(ctx, "")
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(context.Background())
	return r.read(ctx, cfg, conn, id, state)
}

func (r *roleResource) read(ctx context.Context, cfg Config, conn *pgx.Conn, id string, state resource.PropertyMap) (string, resource.PropertyMap, error) {
	var (
		memberOf                                                     []string
		name, validUntil                                             string
		super, inherit, createRole, createDB, canLogin, repl, bypass bool
		connLimit                                                    int64
		rolconfig                                                    []string
	)
	err := conn.QueryRow(ctx, `SELECT ARRAY(SELECT pg_get_userbyid(roleid) FROM pg_catalog.pg_auth_members members WHERE member = pg_roles.oid),
		rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolconnlimit,
		COALESCE(rolvaliduntil::TEXT, 'infinity'), COALESCE(rolconfig, '{}'::text[]), rolreplication, rolbypassrls
		FROM pg_catalog.pg_roles WHERE rolname = $1`, id).
		Scan(&memberOf, &name, &super, &inherit, &createRole, &createDB, &canLogin, &connLimit, &validUntil, &rolconfig, &repl, &bypass)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("Error reading ROLE: %w", err)
	}
	searchPath, stmtTimeout, idleTimeout, assumeRole := readRoleConfig(rolconfig)

	outs := resource.PropertyMap{
		"name":                            resource.NewStringProperty(name),
		"superuser":                       resource.NewBoolProperty(super),
		"inherit":                         resource.NewBoolProperty(inherit),
		"createRole":                      resource.NewBoolProperty(createRole),
		"createDatabase":                  resource.NewBoolProperty(createDB),
		"login":                           resource.NewBoolProperty(canLogin),
		"connectionLimit":                 resource.NewNumberProperty(float64(connLimit)),
		"validUntil":                      resource.NewStringProperty(validUntil),
		"replication":                     resource.NewBoolProperty(repl),
		"bypassRowLevelSecurity":          resource.NewBoolProperty(bypass),
		"encryptedPassword":               resource.NewBoolProperty(true),
		"skipDropRole":                    resource.NewBoolProperty(props.BoolOr(state, "skipDropRole", false)),
		"skipReassignOwned":               resource.NewBoolProperty(props.BoolOr(state, "skipReassignOwned", false)),
		"roles":                           props.StringList(props.SortedSet(memberOf)),
		"searchPaths":                     props.StringList(searchPath),
		"statementTimeout":                resource.NewNumberProperty(float64(stmtTimeout)),
		"idleInTransactionSessionTimeout": resource.NewNumberProperty(float64(idleTimeout)),
		"assumeRole":                      resource.NewStringProperty(assumeRole),
	}
	for _, k := range []resource.PropertyKey{"passwordWoVersion", "encrypted"} {
		if v, ok := state[k]; ok {
			outs[k] = v
		}
	}
	pw, err := readRolePassword(ctx, cfg, conn, name, canLogin, props.StringOr(state, "password", ""))
	if err != nil {
		return "", nil, err
	}
	outs["password"] = resource.NewStringProperty(pw)
	return name, outs, nil
}

// readRolePassword mirrors upstream: the state password unless the provider
// is a superuser and the role can log in; then pg_authid decides (an md5 hash
// equal to md5(password+name) or any SCRAM verifier keeps the state value).
func readRolePassword(ctx context.Context, cfg Config, conn *pgx.Conn, name string, canLogin bool, statePassword string) (string, error) {
	if !canLogin || !cfg.Superuser {
		return statePassword, nil
	}
	su, err := isSuperuser(ctx, conn)
	if err != nil {
		return "", err
	}
	if !su {
		return "", fmt.Errorf("could not read role password from Postgres as connected user %s is not a SUPERUSER. "+
			"You can set `superuser = false` in the provider configuration so it will not try to read the password from Postgres",
			cfg.CurrentUser())
	}
	var stored string
	err = conn.QueryRow(ctx, "SELECT COALESCE(passwd, '') FROM pg_catalog.pg_shadow AS s WHERE s.usename = $1", name).Scan(&stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("Error reading role: %w", err)
	}
	if statePassword != "" && !strings.HasPrefix(statePassword, "md5") && !strings.HasPrefix(statePassword, "SCRAM-SHA-256") {
		if strings.HasPrefix(stored, "md5") {
			sum := md5.Sum([]byte(statePassword + name))
			if "md5"+hex.EncodeToString(sum[:]) == stored {
				return statePassword, nil
			}
		}
		if strings.HasPrefix(stored, "SCRAM-SHA-256") {
			return statePassword, nil
		}
	}
	return stored, nil
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
