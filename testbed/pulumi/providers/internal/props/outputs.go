package props

// Builders of output values: string lists, sorted sets and unknowns.

import (
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// StringList builds an array property of strings.
func StringList(ss []string) resource.PropertyValue {
	arr := make([]resource.PropertyValue, 0, len(ss))
	for _, s := range ss {
		arr = append(arr, resource.NewStringProperty(s))
	}
	return resource.NewArrayProperty(arr)
}

// SortedSet returns a sorted copy without duplicates.
func SortedSet(ss []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// Unknown returns an unknown value.
func Unknown() resource.PropertyValue {
	return resource.MakeComputed(resource.NewStringProperty(""))
}
