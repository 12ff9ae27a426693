// Package props holds the small helpers the stand-in providers use to read
// Pulumi property maps (inputs, state) and to build outputs that keep
// secrets secret and unknowns unknown.
package props

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"
)

// Unmarshal turns a gRPC struct into a property map, keeping secrets and unknowns.
func Unmarshal(label string, s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, plugin.MarshalOptions{
		Label:         label,
		KeepUnknowns:  true,
		KeepSecrets:   true,
		KeepResources: true,
		SkipNulls:     false,
	})
}

// UnmarshalPair decodes a request's old and new property maps.
func UnmarshalPair(olds, news *structpb.Struct) (resource.PropertyMap, resource.PropertyMap, error) {
	o, err := Unmarshal("olds", olds)
	if err != nil {
		return nil, nil, err
	}
	n, err := Unmarshal("news", news)
	if err != nil {
		return nil, nil, err
	}
	return o, n, nil
}

// Marshal turns a property map into a gRPC struct, keeping secrets and unknowns.
func Marshal(label string, m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, plugin.MarshalOptions{
		Label:         label,
		KeepUnknowns:  true,
		KeepSecrets:   true,
		KeepResources: true,
	})
}

// Unwrap strips secret and output wrappers. It reports whether the value was
// secret and whether it is (or contains) an unknown.
func Unwrap(v resource.PropertyValue) (inner resource.PropertyValue, secret bool, unknown bool) {
	for {
		switch {
		case v.IsSecret():
			secret = true
			v = v.SecretValue().Element
		case v.IsOutput():
			o := v.OutputValue()
			if o.Secret {
				secret = true
			}
			if !o.Known {
				return resource.MakeComputed(resource.NewStringProperty("")), secret, true
			}
			v = o.Element
		case v.IsComputed():
			return v, secret, true
		default:
			return v, secret, v.ContainsUnknowns()
		}
	}
}

// Lookup returns the unwrapped value of key k; ok is false when it is absent or null.
func Lookup(m resource.PropertyMap, k string) (v resource.PropertyValue, ok bool) {
	raw, has := m[resource.PropertyKey(k)]
	if !has {
		return resource.PropertyValue{}, false
	}
	v, _, _ = Unwrap(raw)
	if v.IsNull() {
		return v, false
	}
	return v, true
}

// Has reports whether key k is present and not null (unknown counts as present).
func Has(m resource.PropertyMap, k string) bool {
	_, ok := Lookup(m, k)
	return ok
}

// IsUnknown reports whether key k is present and unknown (or contains unknowns).
func IsUnknown(m resource.PropertyMap, k string) bool {
	raw, has := m[resource.PropertyKey(k)]
	if !has {
		return false
	}
	_, _, unknown := Unwrap(raw)
	return unknown
}

// IsSecret reports whether key k holds a secret value.
func IsSecret(m resource.PropertyMap, k string) bool {
	raw, has := m[resource.PropertyKey(k)]
	if !has {
		return false
	}
	_, secret, _ := Unwrap(raw)
	return secret || raw.ContainsSecrets()
}

// String returns key k as a string ("" and false when absent, null or unknown).
func String(m resource.PropertyMap, k string) (string, bool) {
	v, ok := Lookup(m, k)
	if !ok || v.ContainsUnknowns() {
		return "", false
	}
	switch {
	case v.IsString():
		return v.StringValue(), true
	case v.IsNumber():
		return strconv.FormatFloat(v.NumberValue(), 'f', -1, 64), true
	case v.IsBool():
		return strconv.FormatBool(v.BoolValue()), true
	}
	return "", false
}

// StringOr returns key k as a string or def.
func StringOr(m resource.PropertyMap, k, def string) string {
	if s, ok := String(m, k); ok {
		return s
	}
	return def
}

// Bool returns key k as a bool. Strings "true"/"false" are accepted because
// provider configuration arrives JSON-encoded.
func Bool(m resource.PropertyMap, k string) (bool, bool, error) {
	v, ok := Lookup(m, k)
	if !ok || v.ContainsUnknowns() {
		return false, false, nil
	}
	switch {
	case v.IsBool():
		return v.BoolValue(), true, nil
	case v.IsString():
		s := strings.TrimSpace(v.StringValue())
		if s == "" {
			return false, false, nil
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			return false, false, fmt.Errorf("%s: expected a boolean, got %q", k, s)
		}
		return b, true, nil
	}
	return false, false, fmt.Errorf("%s: expected a boolean", k)
}

// BoolOr returns key k as a bool or def (also on a malformed value).
func BoolOr(m resource.PropertyMap, k string, def bool) bool {
	b, ok, err := Bool(m, k)
	if !ok || err != nil {
		return def
	}
	return b
}

// Int returns key k as an integer; numeric strings are accepted.
func Int(m resource.PropertyMap, k string) (int64, bool, error) {
	v, ok := Lookup(m, k)
	if !ok || v.ContainsUnknowns() {
		return 0, false, nil
	}
	switch {
	case v.IsNumber():
		f := v.NumberValue()
		if f != math.Trunc(f) {
			return 0, false, fmt.Errorf("%s: expected an integer, got %v", k, f)
		}
		return int64(f), true, nil
	case v.IsString():
		s := strings.TrimSpace(v.StringValue())
		if s == "" {
			return 0, false, nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, false, fmt.Errorf("%s: expected an integer, got %q", k, s)
		}
		return n, true, nil
	}
	return 0, false, fmt.Errorf("%s: expected an integer", k)
}

// IntOr returns key k as an integer or def.
func IntOr(m resource.PropertyMap, k string, def int64) int64 {
	n, ok, err := Int(m, k)
	if !ok || err != nil {
		return def
	}
	return n
}

// Strings returns key k as a list of strings (elements that are not strings are skipped).
func Strings(m resource.PropertyMap, k string) []string {
	v, ok := Lookup(m, k)
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		e, _, _ = Unwrap(e)
		if e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}

// StringMap returns key k as a map of strings.
func StringMap(m resource.PropertyMap, k string) map[string]string {
	v, ok := Lookup(m, k)
	if !ok || !v.IsObject() {
		return nil
	}
	out := map[string]string{}
	for kk, e := range v.ObjectValue() {
		e, _, _ = Unwrap(e)
		switch {
		case e.IsString():
			out[string(kk)] = e.StringValue()
		case e.IsNull():
		default:
			out[string(kk)] = fmt.Sprint(e.V)
		}
	}
	return out
}

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
