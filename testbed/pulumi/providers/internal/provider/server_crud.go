package provider

// Create, Read, Update and Delete, and the outputs a preview reports.

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
	"gatehouse.local/testbed/pulumi/providers/internal/schema"
)

// previewOutputs: base (the old state, empty on create) updated with the
// inputs, and unknowns for every computed value not known yet.
func previewOutputs(sch *schema.Schema, base, inputs resource.PropertyMap) resource.PropertyMap {
	outs := base.Copy()
	for k, v := range inputs {
		outs[k] = v
	}
	for _, f := range sch.Fields {
		k := resource.PropertyKey(f.Name)
		switch {
		case props.Has(inputs, f.Name) || props.IsUnknown(inputs, f.Name):
		case !f.Computed:
			delete(outs, k)
		default:
			if _, known := base[k]; !known {
				outs[k] = props.Unknown()
			}
		}
	}
	for _, o := range append(append([]string{}, sch.Outputs...), sch.SecretOutputs...) {
		k := resource.PropertyKey(o)
		if _, known := base[k]; !known {
			outs[k] = props.Unknown()
		}
	}
	return outs
}

// Create makes the resource, or during a preview reports unknown computed outputs.
func (s *Server) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	r, _, err := s.lookup(req.GetUrn(), req.GetType())
	if err != nil {
		return nil, err
	}
	inputs, err := props.Unmarshal("properties", req.GetProperties())
	if err != nil {
		return nil, err
	}
	sch := r.Schema()
	if req.GetPreview() || inputs.ContainsUnknowns() {
		if !req.GetPreview() {
			return nil, fmt.Errorf("%s: cannot create %s with unknown inputs", s.Name, sch.Token)
		}
		outs := sch.MarkSecrets(withID(previewOutputs(sch, resource.PropertyMap{}, inputs), ""), inputs)
		st, err := props.Marshal("outputs", outs)
		if err != nil {
			return nil, err
		}
		return &pulumirpc.CreateResponse{Properties: st}, nil
	}
	id, outs, err := r.Create(ctx, inputs)
	if err != nil {
		return nil, s.scrub(err, inputs)
	}
	outs = sch.MarkSecrets(withID(outs, id), inputs)
	st, err := props.Marshal("outputs", outs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: st}, nil
}

// Read refreshes the state of a resource, by the id its outputs carry (see server_id.go).
func (s *Server) Read(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	r, _, err := s.lookup(req.GetUrn(), req.GetType())
	if err != nil {
		return nil, err
	}
	state, err := props.Unmarshal("properties", req.GetProperties())
	if err != nil {
		return nil, err
	}
	inputs, err := props.Unmarshal("inputs", req.GetInputs())
	if err != nil {
		return nil, err
	}
	id, outs, err := r.Read(ctx, stateID(state, req.GetId()), state, inputs)
	if err != nil {
		return nil, s.scrub(err, state, inputs)
	}
	if id == "" {
		return &pulumirpc.ReadResponse{}, nil
	}
	sch := r.Schema()
	outs = sch.MarkSecrets(withID(outs, id), state, inputs)
	// The inputs follow the refreshed values for the properties the program set.
	newInputs := inputs.Copy()
	for k := range inputs {
		if _, isField := sch.Field(string(k)); !isField {
			continue
		}
		if v, ok := outs[k]; ok {
			newInputs[k] = v
		}
	}
	if len(inputs) == 0 {
		// Import: derive the inputs from the state.
		for _, f := range sch.Fields {
			if v, ok := outs[resource.PropertyKey(f.Name)]; ok && !v.IsNull() {
				newInputs[resource.PropertyKey(f.Name)] = v
			}
		}
	}
	newInputs = sch.MarkSecrets(newInputs, state, inputs)
	pst, err := props.Marshal("outputs", outs)
	if err != nil {
		return nil, err
	}
	ist, err := props.Marshal("inputs", newInputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: id, Properties: pst, Inputs: ist}, nil
}

// Update changes the resource in place (or previews the change). The
// response cannot carry a new id; the "id" output does (see server_id.go).
func (s *Server) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	r, _, err := s.lookup(req.GetUrn(), req.GetType())
	if err != nil {
		return nil, err
	}
	olds, news, err := props.UnmarshalPair(req.GetOlds(), req.GetNews())
	if err != nil {
		return nil, err
	}
	sch := r.Schema()
	id := stateID(olds, req.GetId())
	var outs resource.PropertyMap
	if req.GetPreview() || news.ContainsUnknowns() {
		if !req.GetPreview() {
			return nil, fmt.Errorf("%s: cannot update %s with unknown inputs", s.Name, sch.Token)
		}
		// Computed values stay as they are unless the resource recomputes them.
		// The planned id is the prior one, as in a Terraform plan of an update.
		outs = withID(previewOutputs(sch, olds.Copy(), news), id)
	} else {
		var newID string
		newID, outs, err = r.Update(ctx, id, olds, news)
		if err != nil {
			return nil, s.scrub(err, olds, news)
		}
		if newID == "" {
			newID = id
		}
		outs = withID(outs, newID)
	}
	outs = sch.MarkSecrets(outs, news, olds)
	st, err := props.Marshal("outputs", outs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: st}, nil
}

// Delete removes the resource.
func (s *Server) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	r, _, err := s.lookup(req.GetUrn(), req.GetType())
	if err != nil {
		return nil, err
	}
	state, err := props.Unmarshal("properties", req.GetProperties())
	if err != nil {
		return nil, err
	}
	if err := r.Delete(ctx, stateID(state, req.GetId()), state); err != nil {
		return nil, s.scrub(err, state)
	}
	return &emptypb.Empty{}, nil
}
