package pgprovider

// Statements with upstream's error texts, and the ALTER ROLE, ALTER DATABASE
// and ALTER SCHEMA steps of an update (what upstream's setRoleName,
// setDBName, setSchemaName and the other set* functions of an update run).

import (
	"context"
	"fmt"
	"strings"
)

// execWrapped runs sql; a failure reads "<what>: <server error>".
func execWrapped(ctx context.Context, q querier, what, sql string, args ...any) error {
	if _, err := q.Exec(ctx, sql, args...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// alterObject runs ALTER <kind> <name> <clause>; a failure reads
// "Error updating <kind in lower case> <what>: <server error>".
func alterObject(ctx context.Context, q querier, kind, name, clause, what string) error {
	return execWrapped(ctx, q, "Error updating "+strings.ToLower(kind)+" "+what, "ALTER "+kind+" "+quoteIdent(name)+" "+clause)
}

// renameObject renames oldName to name when they differ; an empty name is an error.
func renameObject(ctx context.Context, q querier, kind, oldName, name, what string) error {
	if name == oldName {
		return nil
	}
	if name == "" {
		return fmt.Errorf("Error setting %s name to an empty string", strings.ToLower(kind))
	}
	return alterObject(ctx, q, kind, oldName, "RENAME TO "+quoteIdent(name), what)
}

// alteration is one ALTER step of an update: run when property key changed.
type alteration struct{ key, clause, what string }

// alterChanged runs, in order, the alterations whose property changed; an
// empty clause is nothing to do.
func alterChanged(ctx context.Context, q querier, kind, name string, changed func(key string) bool, alts []alteration) error {
	for _, a := range alts {
		if a.clause == "" || !changed(a.key) {
			continue
		}
		if err := alterObject(ctx, q, kind, name, a.clause, a.what); err != nil {
			return err
		}
	}
	return nil
}
