package randomprovider

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"golang.org/x/crypto/bcrypt"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
	"gatehouse.local/testbed/pulumi/providers/internal/rpctest"
)

func pm(kv map[string]interface{}) resource.PropertyMap {
	return resource.NewPropertyMapFromMap(kv)
}

func TestPasswordLifecycle(t *testing.T) {
	c := rpctest.Start(t, New())
	if err := c.Configure("random", resource.PropertyMap{}); err != nil {
		t.Fatal(err)
	}
	in := c.MustCheck(PasswordToken, "pw", nil, pm(map[string]interface{}{
		"length": 20, "keepers": map[string]interface{}{"k": "1"},
	}))
	// Defaults applied as upstream.
	for k, want := range map[string]interface{}{"special": true, "upper": true, "lower": true, "number": true, "numeric": true,
		"minLower": 0.0, "minUpper": 0.0, "minNumeric": 0.0, "minSpecial": 0.0} {
		if got := props.Plain(in[resource.PropertyKey(k)]); got != want {
			t.Errorf("default %s = %v, want %v", k, got, want)
		}
	}

	// Preview: result and bcryptHash unknown.
	_, prev, err := c.Create(PasswordToken, "pw", in, true)
	if err != nil {
		t.Fatal(err)
	}
	if !props.IsUnknown(prev, "result") || !props.IsUnknown(prev, "bcryptHash") {
		t.Fatalf("preview outputs should be unknown: %v", prev)
	}

	id, outs, err := c.Create(PasswordToken, "pw", in, false)
	if err != nil {
		t.Fatal(err)
	}
	if id != "none" {
		t.Fatalf("id = %q, want none", id)
	}
	if !outs["result"].IsSecret() || !outs["bcryptHash"].IsSecret() {
		t.Fatal("result and bcryptHash must be secrets")
	}
	result, _ := props.String(outs, "result")
	hash, _ := props.String(outs, "bcryptHash")
	if len(result) != 20 {
		t.Fatalf("result length %d", len(result))
	}
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(result)); err != nil {
		t.Fatalf("bcrypt hash does not match: %v", err)
	}

	// Same inputs: no diff.
	if d := c.Diff(PasswordToken, "pw", id, outs, in); len(d.GetDiffs()) != 0 {
		t.Fatalf("unexpected diff %v", d.GetDiffs())
	}
	// Keepers change: replace.
	in2 := c.MustCheck(PasswordToken, "pw", in, pm(map[string]interface{}{
		"length": 20, "keepers": map[string]interface{}{"k": "2"},
	}))
	d := c.Diff(PasswordToken, "pw", id, outs, in2)
	if len(d.GetReplaces()) != 1 || d.GetReplaces()[0] != "keepers" {
		t.Fatalf("keepers change must replace: %v", d)
	}
	// Any setting change replaces.
	for _, k := range []string{"length", "special", "upper", "lower", "numeric", "minUpper"} {
		news := in.Copy()
		switch k {
		case "length", "minUpper":
			news[resource.PropertyKey(k)] = resource.NewNumberProperty(3)
		default:
			news[resource.PropertyKey(k)] = resource.NewBoolProperty(false)
		}
		d := c.Diff(PasswordToken, "pw", id, outs, news)
		if len(d.GetReplaces()) == 0 {
			t.Errorf("change of %s must replace: %v", k, d)
		}
	}
	// Secret preserved through Read.
	_, rd, _, err := c.Read(PasswordToken, "pw", id, outs, in)
	if err != nil {
		t.Fatal(err)
	}
	if !rd["result"].IsSecret() {
		t.Fatal("result must stay secret after read")
	}
}

func TestOverrideSpecialEmptyToNullIsAnUpdate(t *testing.T) {
	c := rpctest.Start(t, New())
	in := c.MustCheck(StringToken, "s", nil, pm(map[string]interface{}{"length": 8, "overrideSpecial": ""}))
	id, outs, err := c.Create(StringToken, "s", in, false)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := props.String(outs, "result"); r != id || len(r) != 8 {
		t.Fatalf("RandomString id must be the result: %q %q", id, r)
	}
	if outs["result"].IsSecret() {
		t.Fatal("RandomString result is not a secret upstream")
	}
	in2 := c.MustCheck(StringToken, "s", in, pm(map[string]interface{}{"length": 8}))
	d := c.Diff(StringToken, "s", id, outs, in2)
	if len(d.GetDiffs()) != 1 || len(d.GetReplaces()) != 0 {
		t.Fatalf("\"\" -> null must be an in-place update: %v", d)
	}
	upd, err := c.Update(StringToken, "s", id, outs, in2, false)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := props.String(upd, "result"); r != id {
		t.Fatal("update must keep the result")
	}
	in3 := c.MustCheck(StringToken, "s", in, pm(map[string]interface{}{"length": 8, "overrideSpecial": "!"}))
	if d := c.Diff(StringToken, "s", id, outs, in3); len(d.GetReplaces()) != 1 {
		t.Fatalf("other overrideSpecial changes replace: %v", d)
	}
}

func TestCheckFailures(t *testing.T) {
	c := rpctest.Start(t, New())
	_, fails, err := c.Check(PasswordToken, "pw", nil, pm(map[string]interface{}{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(fails) == 0 || fails[0].GetProperty() != "length" {
		t.Fatalf("missing length must fail: %v", fails)
	}
	_, fails, _ = c.Check(PasswordToken, "pw", nil, pm(map[string]interface{}{"length": 2, "minUpper": 2, "minLower": 2}))
	if len(fails) == 0 || !strings.Contains(fails[0].GetReason(), "at least sum") {
		t.Fatalf("length below the minimums must fail: %v", fails)
	}
	_, fails, _ = c.Check(PasswordToken, "pw", nil, pm(map[string]interface{}{"length": 5, "number": true, "numeric": false}))
	if len(fails) == 0 {
		t.Fatal("number != numeric must fail")
	}
	in := c.MustCheck(PasswordToken, "pw", nil, pm(map[string]interface{}{"length": 5, "number": false}))
	if props.BoolOr(in, "numeric", true) {
		t.Fatal("numeric must follow number")
	}
}

func TestUnknownInputsInPreview(t *testing.T) {
	c := rpctest.Start(t, New())
	in := resource.PropertyMap{
		"length":  resource.NewNumberProperty(10),
		"keepers": resource.NewObjectProperty(resource.PropertyMap{"k": resource.MakeComputed(resource.NewStringProperty(""))}),
	}
	checked, fails, err := c.Check(PasswordToken, "pw", nil, in)
	if err != nil || len(fails) > 0 {
		t.Fatal(err, fails)
	}
	_, outs, err := c.Create(PasswordToken, "pw", checked, true)
	if err != nil {
		t.Fatal(err)
	}
	if !props.IsUnknown(outs, "result") {
		t.Fatal("result must be unknown in preview")
	}
}
