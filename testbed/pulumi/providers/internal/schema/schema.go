// Package schema describes the input properties of a stand-in resource the
// way the Terraform schema of the real provider does (required, default,
// ForceNew, Optional+Computed, sensitive) and derives Check defaults,
// Check failures and an honest Diff from it.
package schema

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

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

// Validate reports failures for missing required properties and invalid values.
func (s *Schema) Validate(news resource.PropertyMap) []*pulumirpc.CheckFailure {
	var fails []*pulumirpc.CheckFailure
	for _, f := range s.Fields {
		k := resource.PropertyKey(f.Name)
		raw, has := news[k]
		if !has || raw.IsNull() {
			if f.Required {
				fails = append(fails, &pulumirpc.CheckFailure{
					Property: f.Name,
					Reason:   fmt.Sprintf("Missing required property '%s'", f.Name),
				})
			}
			continue
		}
		if props.IsUnknown(news, f.Name) {
			continue
		}
		v, _, _ := props.Unwrap(raw)
		if msg := checkKind(f, v); msg != "" {
			fails = append(fails, &pulumirpc.CheckFailure{Property: f.Name, Reason: msg})
			continue
		}
		if len(f.OneOf) > 0 {
			sv, _ := props.String(news, f.Name)
			ok := false
			for _, o := range f.OneOf {
				if o == sv {
					ok = true
				}
			}
			if !ok {
				fails = append(fails, &pulumirpc.CheckFailure{
					Property: f.Name,
					Reason:   fmt.Sprintf("expected %s to be one of %v, got %s", f.Name, f.OneOf, sv),
				})
			}
		}
		if f.Min != nil {
			if n, ok, _ := props.Int(news, f.Name); ok && n < *f.Min {
				fails = append(fails, &pulumirpc.CheckFailure{
					Property: f.Name,
					Reason:   fmt.Sprintf("expected %s to be at least (%d), got %d", f.Name, *f.Min, n),
				})
			}
		}
	}
	return fails
}

func checkKind(f Field, v resource.PropertyValue) string {
	switch f.Kind {
	case String:
		if !v.IsString() {
			return fmt.Sprintf("%s: expected a string", f.Name)
		}
	case Bool:
		if !v.IsBool() {
			return fmt.Sprintf("%s: expected a boolean", f.Name)
		}
	case Int:
		if !v.IsNumber() {
			if v.IsString() {
				if _, err := strconv.ParseInt(v.StringValue(), 10, 64); err == nil {
					return ""
				}
			}
			return fmt.Sprintf("%s: expected an integer", f.Name)
		}
		if n := v.NumberValue(); n != float64(int64(n)) {
			return fmt.Sprintf("%s: expected an integer, got %v", f.Name, n)
		}
	case StringSet, StringList:
		if !v.IsArray() {
			return fmt.Sprintf("%s: expected a list of strings", f.Name)
		}
		for _, e := range v.ArrayValue() {
			e, _, unknown := props.Unwrap(e)
			if !unknown && !e.IsString() {
				return fmt.Sprintf("%s: expected a list of strings", f.Name)
			}
		}
	case StringMap:
		if !v.IsObject() {
			return fmt.Sprintf("%s: expected a map of strings", f.Name)
		}
	}
	return ""
}

// normalize turns a plain value into a comparable form for the field's kind.
func normalize(s *Schema, f Field, p interface{}) interface{} {
	if s.ZeroIsUnset {
		switch p {
		case "", 0.0, false:
			return nil
		}
	}
	switch f.Kind {
	case StringSet, StringList:
		arr, _ := p.([]interface{})
		ss := make([]string, 0, len(arr))
		for _, e := range arr {
			ss = append(ss, fmt.Sprint(e))
		}
		if f.Kind == StringSet {
			ss = props.SortedSet(ss)
		}
		if len(ss) == 0 {
			return nil
		}
		return ss
	case StringMap:
		m, _ := p.(map[string]interface{})
		if len(m) == 0 {
			return nil
		}
		out := map[string]string{}
		for k, v := range m {
			out[k] = fmt.Sprint(v)
		}
		return out
	case Int:
		switch t := p.(type) {
		case float64:
			return int64(t)
		case string:
			if n, err := strconv.ParseInt(t, 10, 64); err == nil {
				return n
			}
		}
		return p
	default:
		return p
	}
}

// Diff compares the checked new inputs with the old state, field by field.
func (s *Schema) Diff(olds, news resource.PropertyMap, ignoreChanges []string) *pulumirpc.DiffResponse {
	ignored := map[string]bool{}
	for _, k := range ignoreChanges {
		ignored[k] = true
	}
	resp := &pulumirpc.DiffResponse{
		DetailedDiff:    map[string]*pulumirpc.PropertyDiff{},
		HasDetailedDiff: true,
	}
	for _, f := range s.Fields {
		if ignored[f.Name] {
			continue
		}
		k := resource.PropertyKey(f.Name)
		newRaw, newHas := news[k]
		if newHas && newRaw.IsNull() {
			newHas = false
		}
		oldRaw, oldHas := olds[k]
		if oldHas && oldRaw.IsNull() {
			oldHas = false
		}
		var kind pulumirpc.PropertyDiff_Kind
		var oldP, newP interface{}
		if oldHas {
			oldP = normalize(s, f, props.Plain(oldRaw))
		}
		if newHas {
			newP = normalize(s, f, props.Plain(newRaw))
		}
		switch {
		case !newHas && f.Computed:
			continue
		case newHas && props.ContainsUnknown(props.Plain(newRaw)):
			kind = pulumirpc.PropertyDiff_UPDATE
			if !oldHas {
				kind = pulumirpc.PropertyDiff_ADD
			}
		case reflect.DeepEqual(oldP, newP):
			continue
		case !oldHas:
			kind = pulumirpc.PropertyDiff_ADD
		case !newHas:
			kind = pulumirpc.PropertyDiff_DELETE
		default:
			kind = pulumirpc.PropertyDiff_UPDATE
		}
		replace := f.ForceNew
		if replace && f.ReplaceIf != nil && !props.ContainsUnknown(newP) {
			replace = f.ReplaceIf(oldP, newP)
		}
		if replace {
			kind++ // ADD -> ADD_REPLACE, DELETE -> DELETE_REPLACE, UPDATE -> UPDATE_REPLACE
			resp.Replaces = append(resp.Replaces, f.Name)
		}
		resp.Diffs = append(resp.Diffs, f.Name)
		resp.DetailedDiff[f.Name] = &pulumirpc.PropertyDiff{Kind: kind}
	}
	sort.Strings(resp.Diffs)
	sort.Strings(resp.Replaces)
	if len(resp.Diffs) > 0 {
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
	} else {
		resp.Changes = pulumirpc.DiffResponse_DIFF_NONE
	}
	if len(resp.Replaces) > 0 {
		resp.DeleteBeforeReplace = s.DeleteBeforeReplace
	}
	return resp
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
