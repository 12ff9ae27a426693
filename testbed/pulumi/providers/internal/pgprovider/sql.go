package pgprovider

// SQL text and resource ids, built the way terraform-provider-postgresql
// builds them (postgresql/resource_postgresql_*.go), with identifiers quoted
// by pgx and literals escaped, never interpolated raw.

import (
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
