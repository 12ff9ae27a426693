package pgprovider

// The roles a non-superuser admin must be made a member of to change the
// privileges of a grant: upstream getRolesToGrant (the owners of the tables
// of the schema and the schema's owner, pg_database_owner resolved).

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// rolesToGrant is upstream getRolesToGrant. A schema that does not exist is
// the error "could not find schema '<s>' while looking for owner".
func rolesToGrant(ctx context.Context, q querier, g grantSpec) ([]string, error) {
	if g.noSchema() {
		return nil, nil
	}
	var owners []string
	if g.ObjectType != "schema" {
		rows, err := q.Query(ctx, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = $1", g.Schema)
		if err != nil {
			return nil, fmt.Errorf("error while looking for owners of tables in schema '%s': %w", g.Schema, err)
		}
		if owners, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return nil, fmt.Errorf("could not scan tables owner: %w", err)
		}
	}
	var schemaOwner string
	err := q.QueryRow(ctx, "SELECT rolname FROM pg_namespace JOIN pg_roles ON nspowner = pg_roles.oid WHERE nspname = $1",
		g.Schema).Scan(&schemaOwner)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, fmt.Errorf("could not find schema '%s' while looking for owner", g.Schema)
	case err != nil:
		return nil, fmt.Errorf("error while looking for the owner of schema '%s': %w", g.Schema, err)
	}
	found := false
	for _, o := range owners {
		found = found || o == schemaOwner
	}
	if !found {
		owners = append(owners, schemaOwner)
	}
	return resolveOwners(ctx, q, owners)
}

// resolveOwners replaces pg_database_owner by the owner of the current database.
func resolveOwners(ctx context.Context, q querier, owners []string) ([]string, error) {
	out := make([]string, 0, len(owners))
	for _, o := range owners {
		if o == "pg_database_owner" {
			err := q.QueryRow(ctx, "SELECT rolname FROM pg_database JOIN pg_roles ON datdba = pg_roles.oid WHERE datname = current_database()").Scan(&o)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				return nil, fmt.Errorf("could not find database '' while looking for owner")
			case err != nil:
				return nil, fmt.Errorf("error while looking for the owner of database '': %w", err)
			}
		}
		out = append(out, o)
	}
	return out, nil
}
