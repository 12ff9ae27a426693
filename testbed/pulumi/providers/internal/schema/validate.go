package schema

// Validate: Check failures for missing required properties and invalid values.

import (
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

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
