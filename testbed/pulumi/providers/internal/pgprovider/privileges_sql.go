package pgprovider

// Privileges per object type (allowed, compared, relkinds), shared by grants and default privileges.

import (
	"fmt"
	"strings"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

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
	g := strings.Join(props.SortedSet(granted), ",")
	if g == strings.Join(props.SortedSet(wanted), ",") {
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
	return g == strings.Join(props.SortedSet(implicit), ",")
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
