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

// previewOnly reports whether a Create or Update only previews; unknown
// inputs outside a preview are an error.
func (s *Server) previewOnly(preview bool, inputs resource.PropertyMap, verb string, sch *schema.Schema) (bool, error) {
	if !preview && inputs.ContainsUnknowns() {
		return false, fmt.Errorf("%s: cannot %s %s with unknown inputs", s.Name, verb, sch.Token)
	}
	return preview, nil
}

// Create makes the resource, or during a preview reports unknown computed outputs.
func (s *Server) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	r, inputs, err := s.lookupProperties(req)
	if err != nil {
		return nil, err
	}
	sch := r.Schema()
	preview, err := s.previewOnly(req.GetPreview(), inputs, "create", sch)
	if err != nil {
		return nil, err
	}
	var id string // "" in a preview: the id output is unknown
	var outs resource.PropertyMap
	if preview {
		outs = previewOutputs(sch, resource.PropertyMap{}, inputs)
	} else if id, outs, err = r.Create(ctx, inputs); err != nil {
		return nil, s.scrub(err, inputs)
	}
	st, err := props.Marshal("outputs", sch.MarkSecrets(withID(outs, id), inputs))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: st}, nil
}

// Read refreshes the state of a resource, by the id its outputs carry (see server_id.go).
func (s *Server) Read(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	r, state, err := s.lookupProperties(req)
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
	r, olds, news, err := s.lookupPair(req)
	if err != nil {
		return nil, err
	}
	sch := r.Schema()
	id := stateID(olds, req.GetId())
	preview, err := s.previewOnly(req.GetPreview(), news, "update", sch)
	if err != nil {
		return nil, err
	}
	newID := id
	var outs resource.PropertyMap
	if preview {
		// Computed values stay as they are unless the resource recomputes them.
		// The planned id is the prior one, as in a Terraform plan of an update.
		outs = previewOutputs(sch, olds.Copy(), news)
	} else {
		if newID, outs, err = r.Update(ctx, id, olds, news); err != nil {
			return nil, s.scrub(err, olds, news)
		}
		if newID == "" {
			newID = id
		}
	}
	st, err := props.Marshal("outputs", sch.MarkSecrets(withID(outs, newID), news, olds))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: st}, nil
}

// Delete removes the resource.
func (s *Server) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	r, state, err := s.lookupProperties(req)
	if err != nil {
		return nil, err
	}
	if err := r.Delete(ctx, stateID(state, req.GetId()), state); err != nil {
		return nil, s.scrub(err, state)
	}
	return &emptypb.Empty{}, nil
}
