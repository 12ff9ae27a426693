package pgprovider

// Database SQL: CREATE DATABASE with the upstream defaults.

import (
	"fmt"
	"strings"
)

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
