// Package randomprovider is the stand-in for pulumi-resource-random 4.21.2:
// RandomPassword and RandomString with the semantics of
// terraform-provider-random (every input change replaces the resource;
// result drawn with crypto/rand; RandomPassword.result and bcryptHash are
// secrets; id "none" for a password, the result for a string).
package randomprovider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/crypto/bcrypt"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
	"gatehouse.local/testbed/pulumi/providers/internal/provider"
	"gatehouse.local/testbed/pulumi/providers/internal/randgen"
	"gatehouse.local/testbed/pulumi/providers/internal/schema"
)

// Version is the @pulumi/random release this plugin stands in for.
const Version = "4.21.2"

const (
	PasswordToken = "random:index/randomPassword:RandomPassword"
	StringToken   = "random:index/randomString:RandomString"
)

// New returns the provider server.
func New() *provider.Server {
	return &provider.Server{
		Name:    "random",
		Version: Version,
		Resources: map[string]provider.Resource{
			PasswordToken: &stringResource{password: true, sch: stringSchema(PasswordToken, true)},
			StringToken:   &stringResource{password: false, sch: stringSchema(StringToken, false)},
		},
	}
}

func stringSchema(token string, password bool) *schema.Schema {
	s := &schema.Schema{
		Token: token,
		Fields: []schema.Field{
			// keepers: RequiresReplaceIfValuesNotNull; null and {} are the same.
			{Name: "keepers", Kind: schema.StringMap, ForceNew: true},
			{Name: "length", Kind: schema.Int, Required: true, ForceNew: true, Min: schema.IntPtr(1)},
			{Name: "special", Kind: schema.Bool, Default: true, ForceNew: true},
			{Name: "upper", Kind: schema.Bool, Default: true, ForceNew: true},
			{Name: "lower", Kind: schema.Bool, Default: true, ForceNew: true},
			// number (deprecated) and numeric are kept equal by Check.
			{Name: "number", Kind: schema.Bool, ForceNew: true},
			{Name: "numeric", Kind: schema.Bool, ForceNew: true},
			{Name: "minNumeric", Kind: schema.Int, Default: 0, ForceNew: true, Min: schema.IntPtr(0)},
			{Name: "minUpper", Kind: schema.Int, Default: 0, ForceNew: true, Min: schema.IntPtr(0)},
			{Name: "minLower", Kind: schema.Int, Default: 0, ForceNew: true, Min: schema.IntPtr(0)},
			{Name: "minSpecial", Kind: schema.Int, Default: 0, ForceNew: true, Min: schema.IntPtr(0)},
			// override_special: RequiresReplaceUnlessEmptyStringToNull.
			{Name: "overrideSpecial", Kind: schema.String, ForceNew: true, ReplaceIf: func(old, new interface{}) bool {
				return !(old == "" && new == nil)
			}},
		},
	}
	if password {
		s.SecretOutputs = []string{"result", "bcryptHash"}
	} else {
		s.Outputs = []string{"result"}
	}
	return s
}

type stringResource struct {
	password bool
	sch      *schema.Schema
}

func (r *stringResource) Schema() *schema.Schema { return r.sch }

// Check keeps number and numeric in sync (NumberNumericAttributePlanModifier)
// and applies the length >= sum of minimums validator.
func (r *stringResource) Check(_, news resource.PropertyMap) (resource.PropertyMap, []*pulumirpc.CheckFailure) {
	var fails []*pulumirpc.CheckFailure
	num, numOK, _ := props.Bool(news, "number")
	nmc, nmcOK, _ := props.Bool(news, "numeric")
	numUnknown, nmcUnknown := props.IsUnknown(news, "number"), props.IsUnknown(news, "numeric")
	switch {
	case numUnknown || nmcUnknown:
	case numOK && nmcOK && num != nmc:
		fails = append(fails, &pulumirpc.CheckFailure{Property: "numeric",
			Reason: "Number and numeric are both configured with different values"})
	case numOK && !nmcOK:
		news["numeric"] = resource.NewBoolProperty(num)
	case nmcOK && !numOK:
		news["number"] = resource.NewBoolProperty(nmc)
	case !numOK && !nmcOK:
		news["number"] = resource.NewBoolProperty(true)
		news["numeric"] = resource.NewBoolProperty(true)
	}
	if !news.ContainsUnknowns() && len(fails) == 0 {
		if err := params(news).Validate(); err != nil {
			fails = append(fails, &pulumirpc.CheckFailure{Property: "length", Reason: err.Error()})
		}
	}
	return news, fails
}

func params(m resource.PropertyMap) randgen.Params {
	return randgen.Params{
		Length:          props.IntOr(m, "length", 0),
		Upper:           props.BoolOr(m, "upper", true),
		MinUpper:        props.IntOr(m, "minUpper", 0),
		Lower:           props.BoolOr(m, "lower", true),
		MinLower:        props.IntOr(m, "minLower", 0),
		Numeric:         props.BoolOr(m, "numeric", props.BoolOr(m, "number", true)),
		MinNumeric:      props.IntOr(m, "minNumeric", 0),
		Special:         props.BoolOr(m, "special", true),
		MinSpecial:      props.IntOr(m, "minSpecial", 0),
		OverrideSpecial: props.StringOr(m, "overrideSpecial", ""),
	}
}

func (r *stringResource) outputs(inputs resource.PropertyMap, result string) (string, resource.PropertyMap, error) {
	outs := inputs.Copy()
	outs["result"] = resource.NewStringProperty(result)
	id := result
	if r.password {
		hash, err := bcrypt.GenerateFromPassword([]byte(result), bcrypt.DefaultCost)
		if err != nil {
			return "", nil, fmt.Errorf("random: bcrypt hash generation failed: %w", err)
		}
		outs["bcryptHash"] = resource.NewStringProperty(string(hash))
		id = "none"
	}
	return id, outs, nil
}

func (r *stringResource) Create(_ context.Context, inputs resource.PropertyMap) (string, resource.PropertyMap, error) {
	result, err := randgen.Generate(params(inputs))
	if err != nil {
		return "", nil, fmt.Errorf("random: %w", err)
	}
	return r.outputs(inputs, result)
}

// Read returns the state as it is (upstream Read is a no-op); with an empty
// state (import) it rebuilds the state from the id, as upstream ImportState does.
func (r *stringResource) Read(_ context.Context, id string, state, _ resource.PropertyMap) (string, resource.PropertyMap, error) {
	if len(state) > 0 {
		return id, state, nil
	}
	result := id
	in := resource.PropertyMap{
		"length":     resource.NewNumberProperty(float64(len(result))),
		"special":    resource.NewBoolProperty(true),
		"upper":      resource.NewBoolProperty(true),
		"lower":      resource.NewBoolProperty(true),
		"number":     resource.NewBoolProperty(true),
		"numeric":    resource.NewBoolProperty(true),
		"minSpecial": resource.NewNumberProperty(0),
		"minUpper":   resource.NewNumberProperty(0),
		"minLower":   resource.NewNumberProperty(0),
		"minNumeric": resource.NewNumberProperty(0),
	}
	return r.outputs(in, result)
}

// Update copies the new inputs (only overrideSpecial "" -> null gets here); the result is kept.
func (r *stringResource) Update(_ context.Context, id string, olds, news resource.PropertyMap) (string, resource.PropertyMap, error) {
	outs := news.Copy()
	for _, k := range []resource.PropertyKey{"result", "bcryptHash"} {
		if v, ok := olds[k]; ok {
			outs[k] = v
		}
	}
	return id, outs, nil
}

func (r *stringResource) Delete(context.Context, string, resource.PropertyMap) error { return nil }
