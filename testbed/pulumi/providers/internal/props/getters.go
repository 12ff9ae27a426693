package props

// Typed getters: a property map's values as strings, bools, integers, lists and maps.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

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
