package schema

// Diff: the checked new inputs against the old state, field by field.

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

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
