package pgprovider

// SQL text and resource ids, built the way terraform-provider-postgresql
// builds them (postgresql/resource_postgresql_*.go), with identifiers quoted
// by pgx and literals escaped, never interpolated raw.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
)

const publicRole = "public"

// quoteIdent quotes an identifier ("name" with embedded quotes doubled).
func quoteIdent(s string) string { return pgx.Identifier{s}.Sanitize() }

// quoteLiteral returns a SQL string literal for s, quotes included. Single
// quotes are doubled; a value with a backslash uses the E” form with the
// backslash escaped, so the result is right whatever
// standard_conforming_strings says.
func quoteLiteral(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	q := strings.ReplaceAll(s, `'`, `''`)
	if strings.Contains(q, `\`) {
		return `E'` + strings.ReplaceAll(q, `\`, `\\`) + `'`
	}
	return `'` + q + `'`
}

func quoteIdents(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quoteIdent(s)
	}
	return strings.Join(out, ", ")
}

// qualifiedObjects renders objects as schema.object; a function-like object
// carrying its argument list ("f(text, int)") keeps the signature as written.
func qualifiedObjects(schemaName string, objects []string) string {
	out := make([]string, len(objects))
	for i, o := range objects {
		if p := strings.Index(o, "("); p > 0 {
			out[i] = quoteIdent(schemaName) + "." + quoteIdent(o[:p]) + o[p:]
			continue
		}
		out[i] = pgx.Identifier{schemaName, o}.Sanitize()
	}
	return strings.Join(out, ", ")
}

func sortedCopy(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	return out
}

// ---- role ----

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

// ---- database ----

type databaseSpec struct {
	Name, Owner, Template, Encoding, LcCollate, LcCtype, Tablespace string
	ConnectionLimit                                                 int64
	AllowConnections, IsTemplate                                    bool
}

// createDatabaseQuery is CREATE DATABASE with the upstream defaults
// (owner: the connected user, TEMPLATE template0, ENCODING 'UTF8').
func createDatabaseQuery(d databaseSpec, currentUser string) string {
	var b strings.Builder
	b.WriteString("CREATE DATABASE " + quoteIdent(d.Name))
	owner := d.Owner
	if owner == "" {
		owner = currentUser
	}
	b.WriteString(" OWNER " + quoteIdent(owner))
	switch {
	case strings.ToUpper(d.Template) == "DEFAULT":
		b.WriteString(" TEMPLATE DEFAULT")
	case d.Template != "":
		b.WriteString(" TEMPLATE " + quoteIdent(d.Template))
	default:
		b.WriteString(" TEMPLATE template0")
	}
	switch {
	case strings.ToUpper(d.Encoding) == "DEFAULT":
		b.WriteString(" ENCODING DEFAULT")
	case d.Encoding != "":
		b.WriteString(" ENCODING " + quoteLiteral(d.Encoding))
	default:
		b.WriteString(" ENCODING 'UTF8'")
	}
	switch {
	case strings.ToUpper(d.LcCollate) == "DEFAULT":
		b.WriteString(" LC_COLLATE DEFAULT")
	case d.LcCollate != "":
		b.WriteString(" LC_COLLATE " + quoteLiteral(d.LcCollate))
	}
	switch {
	case strings.ToUpper(d.LcCtype) == "DEFAULT":
		b.WriteString(" LC_CTYPE DEFAULT")
	case d.LcCtype != "":
		b.WriteString(" LC_CTYPE " + quoteLiteral(d.LcCtype))
	}
	switch {
	case strings.ToUpper(d.Tablespace) == "DEFAULT":
		b.WriteString(" TABLESPACE DEFAULT")
	case d.Tablespace != "":
		b.WriteString(" TABLESPACE " + quoteIdent(d.Tablespace))
	}
	fmt.Fprintf(&b, " ALLOW_CONNECTIONS %t CONNECTION LIMIT %d IS_TEMPLATE %t", d.AllowConnections, d.ConnectionLimit, d.IsTemplate)
	return b.String()
}

// ---- schema ----

func schemaID(database, name string) string { return database + "." + name }

func createSchemaQuery(name, owner string, ifNotExists bool) string {
	q := "CREATE SCHEMA "
	if ifNotExists {
		q += "IF NOT EXISTS "
	}
	q += quoteIdent(name)
	if owner != "" {
		q += " AUTHORIZATION " + quoteIdent(owner)
	}
	return q
}

// ---- privileges ----

var allowedPrivileges = map[string][]string{
	"database":             {"ALL", "CREATE", "CONNECT", "TEMPORARY"},
	"table":                {"ALL", "SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"},
	"sequence":             {"ALL", "USAGE", "SELECT", "UPDATE"},
	"function":             {"ALL", "EXECUTE"},
	"procedure":            {"ALL", "EXECUTE"},
	"routine":              {"ALL", "EXECUTE"},
	"type":                 {"ALL", "USAGE"},
	"schema":               {"ALL", "CREATE", "USAGE"},
	"foreign_data_wrapper": {"ALL", "USAGE"},
	"foreign_server":       {"ALL", "USAGE"},
	"column":               {"ALL", "SELECT", "INSERT", "UPDATE", "REFERENCES"},
}

// validatePrivileges rejects privileges the object type does not have.
func validatePrivileges(objectType string, privileges []string) error {
	allowed, ok := allowedPrivileges[objectType]
	if !ok {
		return fmt.Errorf("unknown object type %q", objectType)
	}
	for _, p := range privileges {
		found := false
		for _, a := range allowed {
			if strings.ToUpper(p) == a {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%s is not an allowed privilege for object type %s", p, objectType)
		}
	}
	return nil
}

// privilegesEqual compares granted privileges with the wanted ones; "ALL"
// matches the full privilege list of the object type (MAINTAIN only from
// PostgreSQL 17 on).
func privilegesEqual(objectType string, granted, wanted []string, serverMajor int) bool {
	g := strings.Join(sortedUnique(granted), ",")
	if g == strings.Join(sortedUnique(wanted), ",") {
		return true
	}
	hasAll := false
	for _, w := range wanted {
		if strings.ToUpper(w) == "ALL" {
			hasAll = true
		}
	}
	if !hasAll {
		return false
	}
	var implicit []string
	for _, p := range allowedPrivileges[objectType] {
		if p == "ALL" || (p == "MAINTAIN" && serverMajor < 17) {
			continue
		}
		implicit = append(implicit, p)
	}
	return g == strings.Join(sortedUnique(implicit), ",")
}

func sortedUnique(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

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

// relkinds as used by upstream's privilege read queries.
var objectRelkind = map[string]string{
	"table":    "r",
	"sequence": "S",
	"function": "f",
	"routine":  "f",
	"type":     "T",
	"schema":   "n",
}

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
