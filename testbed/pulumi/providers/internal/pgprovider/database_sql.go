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
	databaseOption(&b, "TEMPLATE", d.Template, quoteIdent, "template0")
	databaseOption(&b, "ENCODING", d.Encoding, quoteLiteral, "'UTF8'")
	databaseOption(&b, "LC_COLLATE", d.LcCollate, quoteLiteral, "")
	databaseOption(&b, "LC_CTYPE", d.LcCtype, quoteLiteral, "")
	databaseOption(&b, "TABLESPACE", d.Tablespace, quoteIdent, "")
	fmt.Fprintf(&b, " ALLOW_CONNECTIONS %t CONNECTION LIMIT %d IS_TEMPLATE %t", d.AllowConnections, d.ConnectionLimit, d.IsTemplate)
	return b.String()
}

// databaseOption writes " <keyword> DEFAULT" for DEFAULT (any case), else
// " <keyword> <quoted value>", else " <keyword> <unset>" when unset is not "".
func databaseOption(b *strings.Builder, keyword, value string, quote func(string) string, unset string) {
	switch {
	case strings.ToUpper(value) == "DEFAULT":
		b.WriteString(" " + keyword + " DEFAULT")
	case value != "":
		b.WriteString(" " + keyword + " " + quote(value))
	case unset != "":
		b.WriteString(" " + keyword + " " + unset)
	}
}
