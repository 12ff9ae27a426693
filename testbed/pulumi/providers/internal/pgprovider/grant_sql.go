package pgprovider

// Grant SQL, ids and validation: the GRANT and REVOKE statements.

import (
	"fmt"
	"strings"
)

type grantSpec struct {
	Role, Database, Schema, ObjectType string
	Objects, Columns, Privileges       []string
	WithGrantOption                    bool
}

func (g grantSpec) noSchema() bool {
	return g.ObjectType == "database" || g.ObjectType == "foreign_data_wrapper" || g.ObjectType == "foreign_server"
}

// grantID is role_database[_schema]_objectType[_object...][_column...].
func grantID(g grantSpec) string {
	parts := []string{g.Role, g.Database}
	if !g.noSchema() {
		parts = append(parts, g.Schema)
	}
	parts = append(parts, g.ObjectType)
	parts = append(parts, sortedCopy(g.Objects)...)
	parts = append(parts, sortedCopy(g.Columns)...)
	return strings.Join(parts, "_")
}

// validateGrant applies the checks upstream makes before granting.
func validateGrant(g grantSpec) error {
	if g.Schema == "" && !g.noSchema() {
		return fmt.Errorf("parameter 'schema' is mandatory for postgresql_grant resource")
	}
	if len(g.Objects) > 0 && (g.ObjectType == "database" || g.ObjectType == "schema") {
		return fmt.Errorf("cannot specify `objects` when `object_type` is `database` or `schema`")
	}
	if len(g.Columns) > 0 && g.ObjectType != "column" {
		return fmt.Errorf("cannot specify `columns` when `object_type` is not `column`")
	}
	if g.ObjectType == "column" {
		if len(g.Columns) == 0 {
			return fmt.Errorf("must specify `columns` when `object_type` is `column`")
		}
		if len(g.Privileges) != 1 {
			return fmt.Errorf("must specify exactly 1 `privileges` when `object_type` is `column`")
		}
		if len(g.Objects) != 1 {
			return fmt.Errorf("must specify exactly 1 table in the `objects` field when `object_type` is `column`")
		}
	}
	if len(g.Objects) != 1 && (g.ObjectType == "foreign_data_wrapper" || g.ObjectType == "foreign_server") {
		return fmt.Errorf("one element must be specified in `objects` when `object_type` is `foreign_data_wrapper` or `foreign_server`")
	}
	return validatePrivileges(g.ObjectType, g.Privileges)
}

// grantQuery is the GRANT statement; "" when there is nothing to grant.
func grantQuery(g grantSpec) string {
	if len(g.Privileges) == 0 {
		return ""
	}
	privs := strings.Join(sortedCopy(g.Privileges), ",")
	role := quoteIdent(g.Role)
	var q string
	switch g.ObjectType {
	case "database":
		q = fmt.Sprintf("GRANT %s ON DATABASE %s TO %s", privs, quoteIdent(g.Database), role)
	case "schema":
		q = fmt.Sprintf("GRANT %s ON SCHEMA %s TO %s", privs, quoteIdent(g.Schema), role)
	case "foreign_data_wrapper":
		q = fmt.Sprintf("GRANT %s ON FOREIGN DATA WRAPPER %s TO %s", privs, quoteIdent(g.Objects[0]), role)
	case "foreign_server":
		q = fmt.Sprintf("GRANT %s ON FOREIGN SERVER %s TO %s", privs, quoteIdent(g.Objects[0]), role)
	case "column":
		q = fmt.Sprintf("GRANT %s (%s) ON TABLE %s TO %s", privs, quoteIdents(sortedCopy(g.Columns)),
			qualifiedObjects(g.Schema, g.Objects), role)
	default: // table, sequence, function, procedure, routine
		typ := strings.ToUpper(g.ObjectType)
		if len(g.Objects) > 0 {
			q = fmt.Sprintf("GRANT %s ON %s %s TO %s", privs, typ, qualifiedObjects(g.Schema, sortedCopy(g.Objects)), role)
		} else {
			q = fmt.Sprintf("GRANT %s ON ALL %sS IN SCHEMA %s TO %s", privs, typ, quoteIdent(g.Schema), role)
		}
	}
	if g.WithGrantOption {
		q += " WITH GRANT OPTION"
	}
	return q
}

// revokeQuery is the REVOKE statement run before a grant and on delete; "" when nothing to revoke.
func revokeQuery(g grantSpec) string {
	role := quoteIdent(g.Role)
	switch g.ObjectType {
	case "database":
		return fmt.Sprintf("REVOKE ALL PRIVILEGES ON DATABASE %s FROM %s", quoteIdent(g.Database), role)
	case "schema":
		return fmt.Sprintf("REVOKE ALL PRIVILEGES ON SCHEMA %s FROM %s", quoteIdent(g.Schema), role)
	case "foreign_data_wrapper":
		return fmt.Sprintf("REVOKE ALL PRIVILEGES ON FOREIGN DATA WRAPPER %s FROM %s", quoteIdent(g.Objects[0]), role)
	case "foreign_server":
		return fmt.Sprintf("REVOKE ALL PRIVILEGES ON FOREIGN SERVER %s FROM %s", quoteIdent(g.Objects[0]), role)
	case "column":
		if len(g.Privileges) == 0 || len(g.Columns) == 0 {
			return ""
		}
		return fmt.Sprintf("REVOKE %s (%s) ON TABLE %s FROM %s", strings.Join(sortedCopy(g.Privileges), ","),
			quoteIdents(sortedCopy(g.Columns)), qualifiedObjects(g.Schema, g.Objects), role)
	default:
		typ := strings.ToUpper(g.ObjectType)
		if len(g.Objects) > 0 {
			if len(g.Privileges) > 0 {
				return fmt.Sprintf("REVOKE %s ON %s %s FROM %s", strings.Join(sortedCopy(g.Privileges), ","), typ,
					qualifiedObjects(g.Schema, sortedCopy(g.Objects)), role)
			}
			return fmt.Sprintf("REVOKE ALL PRIVILEGES ON %s %s FROM %s", typ, qualifiedObjects(g.Schema, sortedCopy(g.Objects)), role)
		}
		return fmt.Sprintf("REVOKE ALL PRIVILEGES ON ALL %sS IN SCHEMA %s FROM %s", typ, quoteIdent(g.Schema), role)
	}
}
