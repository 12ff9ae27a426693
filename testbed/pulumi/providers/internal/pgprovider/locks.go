package pgprovider

// Advisory locks and temporary role memberships, as upstream helpers.go
// (pgLockRole, pgLockDatabase, withRolesGranted, grantRoleMembership,
// revokeRoleMembership, isMemberOfRole).

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// pgLockRole locks a role and all its members (upstream pgLockRole). A role
// that does not exist locks nothing and is no error.
func pgLockRole(ctx context.Context, q querier, role string) error {
	if _, err := q.Exec(ctx, "SET statement_timeout = 0"); err != nil {
		return fmt.Errorf("could not disable statement_timeout: %w", err)
	}
	if _, err := q.Exec(ctx, "SELECT pg_advisory_xact_lock(oid::bigint) FROM pg_roles WHERE rolname = $1", role); err != nil {
		return fmt.Errorf("could not get advisory lock for role %s: %w", role, err)
	}
	if _, err := q.Exec(ctx,
		"SELECT pg_advisory_xact_lock(member::bigint) FROM pg_auth_members JOIN pg_roles ON roleid = pg_roles.oid WHERE rolname = $1",
		role); err != nil {
		return fmt.Errorf("could not get advisory lock for members of role %s: %w", role, err)
	}
	return nil
}

// pgLockDatabase locks a database (upstream pgLockDatabase).
func pgLockDatabase(ctx context.Context, q querier, database string) error {
	if _, err := q.Exec(ctx, "SET statement_timeout = 0"); err != nil {
		return fmt.Errorf("could not disable statement_timeout: %w", err)
	}
	if _, err := q.Exec(ctx, "SELECT pg_advisory_xact_lock(oid::bigint) FROM pg_database WHERE datname = $1", database); err != nil {
		return fmt.Errorf("could not get advisory lock for database %s: %w", database, err)
	}
	return nil
}

// roleIsSuperuser is upstream isSuperuser(db, role).
func roleIsSuperuser(ctx context.Context, q querier, role string) (bool, error) {
	var su bool
	if err := q.QueryRow(ctx, "SELECT rolsuper FROM pg_roles WHERE rolname = $1", role).Scan(&su); err != nil {
		return false, fmt.Errorf("could not check if role %s is superuser: %w", role, err)
	}
	return su, nil
}

// isMemberOfRole: a direct membership (with SET option on PostgreSQL 16+).
func isMemberOfRole(ctx context.Context, q querier, role, member string) (bool, error) {
	var one int
	setOption := true
	err := q.QueryRow(ctx, "SELECT 1 FROM information_schema.columns WHERE table_name='pg_auth_members' AND column_name = 'set_option'").Scan(&one)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		setOption = false
	case err != nil:
		return false, fmt.Errorf("could not read setOption column: %w", err)
	}
	query := "SELECT 1 FROM pg_auth_members WHERE pg_get_userbyid(roleid) = $1 AND pg_get_userbyid(member) = $2"
	if setOption {
		query += " AND set_option"
	}
	err = q.QueryRow(ctx, query, role, member).Scan(&one)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("could not read role membership: %w", err)
	}
	return true, nil
}

// grantRoleMembership grants role to member unless it already is one; true when granted.
func grantRoleMembership(ctx context.Context, q querier, role, member string) (bool, error) {
	if member == role {
		return false, nil
	}
	if is, err := isMemberOfRole(ctx, q, role, member); err != nil || is {
		return false, err
	}
	if _, err := q.Exec(ctx, "GRANT "+quoteIdent(role)+" TO "+quoteIdent(member)); err != nil {
		return false, fmt.Errorf("Error granting role %s to %s: %w", role, member, err)
	}
	return true, nil
}

// revokeRoleMembership revokes role from member when it is one; true when revoked.
func revokeRoleMembership(ctx context.Context, q querier, role, member string) (bool, error) {
	if member == role {
		return false, nil
	}
	if is, err := isMemberOfRole(ctx, q, role, member); err != nil || !is {
		return false, err
	}
	if _, err := q.Exec(ctx, "REVOKE "+quoteIdent(role)+" FROM "+quoteIdent(member)); err != nil {
		return false, fmt.Errorf("Error revoking role %s from %s: %w", role, member, err)
	}
	return true, nil
}

// withRolesGranted runs fn with the connected user made a member of roles
// when it is not a superuser, and undoes that afterwards (upstream
// withRolesGranted: superuser roles are skipped, a reverse membership is
// revoked for the duration). Empty role names are skipped.
func withRolesGranted(ctx context.Context, q querier, roles []string, fn func() error) error {
	if len(roles) == 0 {
		return fn()
	}
	var currentUser string
	if err := q.QueryRow(ctx, "SELECT CURRENT_USER").Scan(&currentUser); err != nil {
		return fmt.Errorf("error while looking for the current user: %w", err)
	}
	if su, err := roleIsSuperuser(ctx, q, currentUser); err != nil || su {
		if err != nil {
			return err
		}
		return fn()
	}
	var granted, revoked []string
	for _, role := range roles {
		if role == "" {
			continue
		}
		if su, err := roleIsSuperuser(ctx, q, role); err != nil || su {
			if err != nil {
				return err
			}
			continue // PostgreSQL refuses to grant a superuser role to a non-superuser
		}
		done, err := revokeRoleMembership(ctx, q, currentUser, role)
		if err != nil {
			return err
		}
		if done {
			revoked = append(revoked, role)
		}
		if done, err = grantRoleMembership(ctx, q, role, currentUser); err != nil {
			return err
		}
		if done {
			granted = append(granted, role)
		}
	}
	if err := fn(); err != nil {
		return err
	}
	for _, role := range granted {
		if _, err := revokeRoleMembership(ctx, q, role, currentUser); err != nil {
			return err
		}
	}
	for _, role := range revoked {
		exists, err := roleExists(ctx, q, role)
		if err != nil {
			return err
		}
		if !exists {
			continue
		}
		if _, err := grantRoleMembership(ctx, q, currentUser, role); err != nil {
			return err
		}
	}
	return nil
}

// withOwnerMembership grants owner to the configured user for fn and revokes
// it afterwards, ignoring a failed revoke (upstream grantRoleMembership with
// a deferred revokeRoleMembership in createDatabase, setDBOwner and the
// database delete).
func withOwnerMembership(ctx context.Context, q querier, owner, currentUser string, fn func() error) error {
	if owner == "" {
		return fn()
	}
	granted, err := grantRoleMembership(ctx, q, owner, currentUser)
	if err != nil {
		return err
	}
	if granted {
		defer func() { _, _ = revokeRoleMembership(context.Background(), q, owner, currentUser) }()
	}
	return fn()
}
