package pgprovider

// Role settings applied on create and update: memberships, search_path, timeouts, assumed role.

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

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
