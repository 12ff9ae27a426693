package provider

// Check: defaults, autonaming and validation of a resource's inputs.

import (
	"context"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

// Check applies defaults and autonaming and validates the inputs.
func (s *Server) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	r, olds, news, err := s.lookupPair(req)
	if err != nil {
		return nil, err
	}
	sch := r.Schema()
	var fails []*pulumirpc.CheckFailure
	if sch.AutoName && !props.Has(news, "name") {
		name, fail := autoName(req, olds)
		if fail != nil {
			fails = append(fails, fail)
		} else {
			news["name"] = resource.NewStringProperty(name)
		}
	}
	checked := sch.ApplyDefaults(news)
	fails = append(fails, sch.Validate(checked)...)
	if c, ok := r.(Checker); ok && len(fails) == 0 {
		var more []*pulumirpc.CheckFailure
		checked, more = c.Check(olds, checked)
		fails = append(fails, more...)
	}
	inputs, err := props.Marshal("inputs", checked)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: inputs, Failures: fails}, nil
}

func autoName(req *pulumirpc.CheckRequest, olds resource.PropertyMap) (string, *pulumirpc.CheckFailure) {
	if an := req.GetAutonaming(); an != nil {
		switch an.GetMode() {
		case pulumirpc.CheckRequest_AutonamingOptions_ENFORCE, pulumirpc.CheckRequest_AutonamingOptions_PROPOSE:
			if an.GetProposedName() != "" {
				return an.GetProposedName(), nil
			}
		case pulumirpc.CheckRequest_AutonamingOptions_DISABLE:
			return "", &pulumirpc.CheckFailure{Property: "name", Reason: "Missing required property 'name' (autonaming is disabled)"}
		}
	}
	// Keep the name chosen earlier so an update does not rename the resource.
	if n, ok := props.String(olds, "name"); ok && n != "" {
		return n, nil
	}
	base := req.GetName()
	if base == "" && req.GetUrn() != "" {
		base = resource.URN(req.GetUrn()).Name()
	}
	name, err := resource.NewUniqueName(req.GetRandomSeed(), base+"-", 7, 255, nil)
	if err != nil {
		return "", &pulumirpc.CheckFailure{Property: "name", Reason: err.Error()}
	}
	return name, nil
}
