package pgprovider

// Reading a grant back: whether it still exists and which privileges are actually granted.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

// Read reports the grant gone when its database, role or schema is gone, and
// the privileges actually granted when they differ from the state.
func (r *grantResource) Read(ctx context.Context, _ string, state, _ resource.PropertyMap) (string, resource.PropertyMap, error) {
	g := grantSpecFrom(state)
	if g.Role == "" || g.Database == "" || g.ObjectType == "" {
		return "", nil, errors.New("postgresql_grant cannot be imported: its state is needed to read it")
	}
	_, conn, release, err := r.p.connectIfExists(ctx, g.Database)
	if err != nil || conn == nil {
		return "", nil, err
	}
	defer release()
	schemaName := g.Schema
	if g.noSchema() {
		schemaName = ""
	}
	if ok, err := checkRoleDBSchemaExists(ctx, conn, []string{g.Role}, schemaName); err != nil || !ok {
		return "", nil, err
	}
	granted, err := readGrantedPrivileges(ctx, conn, g)
	if err != nil {
		return "", nil, err
	}
	outs := stateFields(grantSchema, state)
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
