package props

// Plain values: all wrappers removed at every depth, for comparisons, unknowns marked.

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Plain returns v with all secret/output wrappers removed at every depth, for comparisons.
func Plain(v resource.PropertyValue) interface{} {
	v, _, unknown := Unwrap(v)
	if unknown && (v.IsComputed() || v.IsOutput()) {
		return unknownMarker{}
	}
	switch {
	case v.IsNull():
		return nil
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]interface{}, len(arr))
		for i, e := range arr {
			out[i] = Plain(e)
		}
		return out
	case v.IsObject():
		out := map[string]interface{}{}
		for k, e := range v.ObjectValue() {
			p := Plain(e)
			if p == nil {
				continue
			}
			out[string(k)] = p
		}
		return out
	default:
		return v.V
	}
}

type unknownMarker struct{}

// ContainsUnknown reports whether a Plain value holds an unknown.
func ContainsUnknown(p interface{}) bool {
	switch t := p.(type) {
	case unknownMarker:
		return true
	case []interface{}:
		for _, e := range t {
			if ContainsUnknown(e) {
				return true
			}
		}
	case map[string]interface{}:
		for _, e := range t {
			if ContainsUnknown(e) {
				return true
			}
		}
	}
	return false
}
