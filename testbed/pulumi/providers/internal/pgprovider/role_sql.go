package pgprovider

// Role SQL: CREATE ROLE options, password and search_path, and pg_roles.rolconfig.

import (
	"fmt"
	"strings"
)

type roleSpec struct {
	Name              string
	Password          string
	HasPassword       bool
	EncryptedPassword bool
	ValidUntil        string
	ConnectionLimit   int64
	Superuser         bool
	CreateDatabase    bool
	CreateRole        bool
	Inherit           bool
	Login             bool
	Replication       bool
	BypassRLS         bool
}

func flag(on bool, yes, no string) string {
	if on {
		return yes
	}
	return no
}

// createRoleQuery is CREATE ROLE ... WITH <options>.
func createRoleQuery(r roleSpec) string {
	var opts []string
	if r.HasPassword && r.Password != "" {
		if strings.ToUpper(r.Password) == "NULL" {
			opts = append(opts, "PASSWORD NULL")
		} else {
			opts = append(opts, flag(r.EncryptedPassword, "ENCRYPTED", "UNENCRYPTED"), "PASSWORD "+quoteLiteral(r.Password))
		}
	}
	validUntil := r.ValidUntil
	if validUntil == "" || strings.ToLower(validUntil) == "infinity" {
		validUntil = "infinity"
	}
	opts = append(opts, "VALID UNTIL "+quoteLiteral(validUntil))
	opts = append(opts, fmt.Sprintf("CONNECTION LIMIT %d", r.ConnectionLimit))
	opts = append(opts,
		flag(r.Superuser, "SUPERUSER", "NOSUPERUSER"),
		flag(r.CreateDatabase, "CREATEDB", "NOCREATEDB"),
		flag(r.CreateRole, "CREATEROLE", "NOCREATEROLE"),
		flag(r.Inherit, "INHERIT", "NOINHERIT"),
		flag(r.Login, "LOGIN", "NOLOGIN"),
		flag(r.Replication, "REPLICATION", "NOREPLICATION"),
		flag(r.BypassRLS, "BYPASSRLS", "NOBYPASSRLS"),
	)
	return "CREATE ROLE " + quoteIdent(r.Name) + " WITH " + strings.Join(opts, " ")
}

func alterRolePasswordQuery(name, password string) string {
	return "ALTER ROLE " + quoteIdent(name) + " PASSWORD " + quoteLiteral(password)
}

// searchPathQuery sets the role's search_path (DEFAULT when empty).
func searchPathQuery(role string, path []string) (string, error) {
	val := "DEFAULT"
	if len(path) > 0 {
		parts := make([]string, len(path))
		for i, p := range path {
			if strings.Contains(p, ", ") {
				return "", fmt.Errorf("search_path cannot contain `, `: %v", p)
			}
			parts[i] = quoteIdent(p)
		}
		val = strings.Join(parts, ", ")
	}
	return "ALTER ROLE " + quoteIdent(role) + " SET search_path TO " + val, nil
}

// readRoleConfig extracts search_path, statement_timeout,
// idle_in_transaction_session_timeout and role from pg_roles.rolconfig.
func readRoleConfig(cfg []string) (searchPath []string, statementTimeout, idleTimeout int64, assumeRole string) {
	for _, c := range cfg {
		switch {
		case strings.HasPrefix(c, "search_path="):
			for _, p := range strings.Split(strings.TrimPrefix(c, "search_path="), ", ") {
				searchPath = append(searchPath, strings.Trim(p, `"`))
			}
		case strings.HasPrefix(c, "statement_timeout="):
			fmt.Sscan(strings.TrimPrefix(c, "statement_timeout="), &statementTimeout)
		case strings.HasPrefix(c, "idle_in_transaction_session_timeout="):
			fmt.Sscan(strings.TrimPrefix(c, "idle_in_transaction_session_timeout="), &idleTimeout)
		case strings.HasPrefix(c, "role="):
			assumeRole = strings.TrimPrefix(c, "role=")
		}
	}
	return
}
