// Package schema describes the input properties of a stand-in resource the
// way the Terraform schema of the real provider does (required, default,
// ForceNew, Optional+Computed, sensitive) and derives Check defaults,
// Check failures and an honest Diff from it.
package schema

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

// Kind is the type of a property.
type Kind int

const (
	String Kind = iota
	Bool
	Int
	StringSet  // order-insensitive list of strings (TypeSet)
	StringList // ordered list of strings (TypeList)
	StringMap  // map of strings
)

// Field is one input property.
type Field struct {
	Name     string
	Kind     Kind
	Required bool
	// ForceNew: a change replaces the resource.
	ForceNew bool
	// ReplaceIf narrows ForceNew: when set, a change replaces only if it returns true.
	ReplaceIf func(old, new interface{}) bool
	// Computed: Optional+Computed in the real schema; omitting it is never a change.
	Computed bool
	// Default is applied by Check when the property is absent (nil = no default).
	Default interface{}
	// Secret: the real schema marks it Sensitive; outputs always carry it as a secret.
	Secret bool
	// OneOf restricts string values.
	OneOf []string
	// Min is the lowest accepted integer value (nil = none).
	Min *int64
}

// Schema is the input schema of a resource type.
type Schema struct {
	Token  string
	Fields []Field
	// Outputs are output-only properties (unknown during a create preview).
	Outputs []string
	// SecretOutputs are output-only properties that are always secret.
	SecretOutputs []string
	// AutoName: the Pulumi bridge autonames "name" (SetAutonaming(255, "-")).
	AutoName bool
	// DeleteBeforeReplace as set in the Pulumi provider's resource info.
	DeleteBeforeReplace bool
	// ZeroIsUnset: Terraform plugin SDK v2 semantics, where "", 0 and false
	// in the state are the same as an unset property.
	ZeroIsUnset bool
}

// IntPtr is a helper for Field.Min.
func IntPtr(v int64) *int64 { return &v }

// Field returns the field named n.
func (s *Schema) Field(n string) (Field, bool) {
	for _, f := range s.Fields {
		if f.Name == n {
			return f, true
		}
	}
	return Field{}, false
}

func defaultValue(d interface{}) resource.PropertyValue {
	switch t := d.(type) {
	case bool:
		return resource.NewBoolProperty(t)
	case int:
		return resource.NewNumberProperty(float64(t))
	case int64:
		return resource.NewNumberProperty(float64(t))
	case string:
		return resource.NewStringProperty(t)
	case []string:
		return props.StringList(t)
	}
	panic(fmt.Sprintf("unsupported default %T", d))
}

// ApplyDefaults returns a copy of news with defaults set for absent properties.
func (s *Schema) ApplyDefaults(news resource.PropertyMap) resource.PropertyMap {
	out := news.Copy()
	for _, f := range s.Fields {
		if f.Default == nil {
			continue
		}
		k := resource.PropertyKey(f.Name)
		if v, has := out[k]; has && !v.IsNull() {
			continue
		}
		out[k] = defaultValue(f.Default)
	}
	return out
}

// MarkSecrets wraps in secrets every output that the schema marks sensitive,
// and every output whose input (or previous state) value was secret.
func (s *Schema) MarkSecrets(outs resource.PropertyMap, sources ...resource.PropertyMap) resource.PropertyMap {
	secret := map[string]bool{}
	for _, f := range s.Fields {
		if f.Secret {
			secret[f.Name] = true
		}
	}
	for _, n := range s.SecretOutputs {
		secret[n] = true
	}
	for _, src := range sources {
		for k := range src {
			if props.IsSecret(src, string(k)) {
				secret[string(k)] = true
			}
		}
	}
	res := resource.PropertyMap{}
	for k, v := range outs {
		if secret[string(k)] && !v.IsSecret() && !v.IsNull() {
			inner, _, _ := props.Unwrap(v)
			res[k] = resource.MakeSecret(inner)
			continue
		}
		res[k] = v
	}
	return res
}
