package pgprovider

// Default privileges SQL, ids and validation: ALTER DEFAULT PRIVILEGES.

import (
	"fmt"
	"strings"
)

type defaultPrivilegesSpec struct {
	Role, Database, Owner, Schema, ObjectType string
	Privileges                                []string
	WithGrantOption                           bool
}

// defaultPrivilegesID is role_database_schema|noschema_owner_objectType.
func defaultPrivilegesID(d defaultPrivilegesSpec) string {
	s := d.Schema
	if s == "" {
		s = "noschema"
	}
	return strings.Join([]string{d.Role, d.Database, s, d.Owner, d.ObjectType}, "_")
}

func validateDefaultPrivileges(d defaultPrivilegesSpec) error {
	if d.Schema != "" && d.ObjectType == "schema" {
		return fmt.Errorf("cannot specify `schema` when `object_type` is `schema`")
	}
	if d.WithGrantOption && strings.ToLower(d.Role) == publicRole {
		return fmt.Errorf("with_grant_option cannot be true for role 'public'")
	}
	return validatePrivileges(d.ObjectType, d.Privileges)
}

func inSchema(s string) string {
	if s == "" {
		return ""
	}
	return " IN SCHEMA " + quoteIdent(s)
}

// defaultPrivilegesGrantQuery is ALTER DEFAULT PRIVILEGES FOR ROLE owner [IN SCHEMA s] GRANT ...; "" when none.
func defaultPrivilegesGrantQuery(d defaultPrivilegesSpec) string {
	if len(d.Privileges) == 0 {
		return ""
	}
	q := fmt.Sprintf("ALTER DEFAULT PRIVILEGES FOR ROLE %s%s GRANT %s ON %sS TO %s",
		quoteIdent(d.Owner), inSchema(d.Schema), strings.Join(sortedCopy(d.Privileges), ","),
		strings.ToUpper(d.ObjectType), quoteIdent(d.Role))
	if d.WithGrantOption {
		q += " WITH GRANT OPTION"
	}
	return q
}

// defaultPrivilegesRevokeQuery revokes every default privilege of role granted by owner.
func defaultPrivilegesRevokeQuery(d defaultPrivilegesSpec) string {
	return fmt.Sprintf("ALTER DEFAULT PRIVILEGES FOR ROLE %s%s REVOKE ALL ON %sS FROM %s",
		quoteIdent(d.Owner), inSchema(d.Schema), strings.ToUpper(d.ObjectType), quoteIdent(d.Role))
}
