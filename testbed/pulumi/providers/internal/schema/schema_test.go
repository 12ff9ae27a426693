package schema

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

var testSchema = &Schema{
	Token:       "t:index/x:X",
	ZeroIsUnset: true,
	Fields: []Field{
		{Name: "name", Kind: String, Required: true},
		{Name: "encoding", Kind: String, Computed: true, ForceNew: true},
		{Name: "limit", Kind: Int, Default: -1, Min: IntPtr(-1)},
		{Name: "privileges", Kind: StringSet, Required: true},
		{Name: "path", Kind: StringList},
		{Name: "password", Kind: String, Secret: true},
		{Name: "kind", Kind: String, OneOf: []string{"a", "b"}},
	},
}

func m(kv map[string]interface{}) resource.PropertyMap { return resource.NewPropertyMapFromMap(kv) }

func TestDefaultsAndValidation(t *testing.T) {
	in := testSchema.ApplyDefaults(m(map[string]interface{}{"name": "x"}))
	if in["limit"].NumberValue() != -1 {
		t.Fatal("default not applied")
	}
	fails := testSchema.Validate(in)
	if len(fails) != 1 || fails[0].Property != "privileges" {
		t.Fatalf("missing required: %v", fails)
	}
	fails = testSchema.Validate(m(map[string]interface{}{"name": "x", "privileges": []interface{}{}, "limit": -2, "kind": "c"}))
	if len(fails) != 2 {
		t.Fatalf("min and oneOf: %v", fails)
	}
}

func TestDiff(t *testing.T) {
	olds := m(map[string]interface{}{"name": "x", "encoding": "UTF8", "limit": -1, "privileges": []interface{}{"A", "B"}, "path": []interface{}{}, "password": ""})
	same := m(map[string]interface{}{"name": "x", "limit": -1, "privileges": []interface{}{"B", "A"}})
	if d := testSchema.Diff(olds, same, nil); d.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("set order, computed omission and zero values are no change: %v", d.Diffs)
	}
	upd := m(map[string]interface{}{"name": "y", "limit": 3, "privileges": []interface{}{"A"}})
	d := testSchema.Diff(olds, upd, nil)
	if len(d.Diffs) != 3 || len(d.Replaces) != 0 {
		t.Fatalf("in-place update expected: %v %v", d.Diffs, d.Replaces)
	}
	rep := m(map[string]interface{}{"name": "x", "encoding": "LATIN1", "limit": -1, "privileges": []interface{}{"A", "B"}})
	d = testSchema.Diff(olds, rep, nil)
	if len(d.Replaces) != 1 || d.Replaces[0] != "encoding" || d.DetailedDiff["encoding"].Kind != pulumirpc.PropertyDiff_UPDATE_REPLACE {
		t.Fatalf("ForceNew must replace: %v", d)
	}
	unknown := same.Copy()
	unknown["password"] = resource.MakeComputed(resource.NewStringProperty(""))
	d = testSchema.Diff(olds, unknown, nil)
	if len(d.Diffs) != 1 || d.Diffs[0] != "password" {
		t.Fatalf("unknown is a change: %v", d.Diffs)
	}
	if d := testSchema.Diff(olds, upd, []string{"name", "limit", "privileges"}); len(d.Diffs) != 0 {
		t.Fatalf("ignoreChanges: %v", d.Diffs)
	}
}

func TestMarkSecrets(t *testing.T) {
	outs := m(map[string]interface{}{"name": "x", "password": "p", "limit": 1})
	ins := resource.PropertyMap{"name": resource.MakeSecret(resource.NewStringProperty("x"))}
	res := testSchema.MarkSecrets(outs, ins)
	if !res["password"].IsSecret() || !res["name"].IsSecret() || res["limit"].IsSecret() {
		t.Fatalf("%v", res)
	}
}
