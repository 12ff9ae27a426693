package pgprovider

// Reading a role back: pg_roles, and the password the way upstream decides it.

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
)

func (r *roleResource) Read(ctx context.Context, id string, state, _ resource.PropertyMap) (string, resource.PropertyMap, error) {
	cfg, conn, release, err := r.p.connect(ctx, "")
	if err != nil {
		return "", nil, err
	}
	defer release()
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
