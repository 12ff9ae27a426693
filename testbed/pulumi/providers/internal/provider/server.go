// Package provider implements the Pulumi ResourceProvider gRPC protocol for
// the stand-in providers: it dispatches on the resource type token, applies
// the schema (defaults, required inputs, autonaming, diff, secrets, preview
// unknowns) and leaves only the real work (Create/Read/Update/Delete) to each
// resource implementation.
package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
	"gatehouse.local/testbed/pulumi/providers/internal/schema"
)

// Resource is the work a resource type does against the real world.
type Resource interface {
	Schema() *schema.Schema
	// Create makes the resource from checked inputs; outputs are inputs plus computed values.
	Create(ctx context.Context, inputs resource.PropertyMap) (id string, outs resource.PropertyMap, err error)
	// Read refreshes the state; an empty id means the resource is gone.
	Read(ctx context.Context, id string, state, inputs resource.PropertyMap) (newID string, outs resource.PropertyMap, err error)
	// Update changes the resource in place.
	Update(ctx context.Context, id string, olds, news resource.PropertyMap) (newID string, outs resource.PropertyMap, err error)
	Delete(ctx context.Context, id string, state resource.PropertyMap) error
}

// Checker adds resource-specific validation to Check (after defaults are applied).
type Checker interface {
	Check(olds, news resource.PropertyMap) (resource.PropertyMap, []*pulumirpc.CheckFailure)
}

// Server is a pulumirpc.ResourceProviderServer for a set of resources.
type Server struct {
	pulumirpc.UnimplementedResourceProviderServer

	Name      string
	Version   string
	Resources map[string]Resource
	// OnConfigure receives the provider configuration (from args, or from the
	// variables map when args are absent), keyed by the Pulumi property name.
	OnConfigure func(cfg resource.PropertyMap) error
	// ExtraSecrets returns strings that must never appear in an error (e.g. the admin password).
	ExtraSecrets func() []string

	mu sync.Mutex
}

func (s *Server) lookup(urn, typ string) (Resource, string, error) {
	tok := typ
	if tok == "" && urn != "" {
		tok = string(resource.URN(urn).Type())
	}
	r, ok := s.Resources[tok]
	if !ok {
		return nil, tok, fmt.Errorf("%s: unknown resource type %q (this stand-in implements: %s)",
			s.Name, tok, strings.Join(s.tokens(), ", "))
	}
	return r, tok, nil
}

func (s *Server) tokens() []string {
	var out []string
	for k := range s.Resources {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// scrub removes every secret string from an error message.
func (s *Server) scrub(err error, maps ...resource.PropertyMap) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	var secrets []string
	for _, m := range maps {
		secrets = append(secrets, CollectSecrets(m)...)
	}
	if s.ExtraSecrets != nil {
		secrets = append(secrets, s.ExtraSecrets()...)
	}
	// Replace longer secrets first so a secret that contains another is fully hidden.
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	for _, sec := range secrets {
		if sec != "" {
			msg = strings.ReplaceAll(msg, sec, "[secret]")
		}
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

// CollectSecrets returns every string held under a secret in m.
func CollectSecrets(m resource.PropertyMap) []string {
	var out []string
	var walk func(v resource.PropertyValue, secret bool)
	walk = func(v resource.PropertyValue, secret bool) {
		switch {
		case v.IsSecret():
			walk(v.SecretValue().Element, true)
		case v.IsOutput():
			o := v.OutputValue()
			if o.Known {
				walk(o.Element, secret || o.Secret)
			}
		case v.IsString():
			if secret {
				out = append(out, v.StringValue())
			}
		case v.IsArray():
			for _, e := range v.ArrayValue() {
				walk(e, secret)
			}
		case v.IsObject():
			for _, e := range v.ObjectValue() {
				walk(e, secret)
			}
		}
	}
	for _, v := range m {
		walk(v, false)
	}
	return out
}

// GetPluginInfo reports the version of the real provider this stands in for.
func (s *Server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: s.Version}, nil
}

// GetSchema returns a minimal valid package schema.
func (s *Server) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{
		Schema: fmt.Sprintf(`{"name":%q,"version":%q}`, s.Name, s.Version),
	}, nil
}

// Handshake announces the protocol features the stand-in supports.
func (s *Server) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{
		AcceptSecrets:                   true,
		AcceptResources:                 true,
		SupportsAutonamingConfiguration: true,
	}, nil
}

// CheckConfig returns the provider configuration unchanged.
func (s *Server) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// DiffConfig reports changed configuration keys as in-place updates.
func (s *Server) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, news, err := props.UnmarshalPair(req.GetOlds(), req.GetNews())
	if err != nil {
		return nil, err
	}
	keys := map[resource.PropertyKey]bool{}
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	resp := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}
	for k := range keys {
		if k == "version" {
			continue
		}
		if fmt.Sprint(props.Plain(olds[k])) != fmt.Sprint(props.Plain(news[k])) {
			resp.Diffs = append(resp.Diffs, string(k))
		}
	}
	sort.Strings(resp.Diffs)
	if len(resp.Diffs) > 0 {
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	return resp, nil
}

// Configure keeps the provider configuration.
func (s *Server) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	cfg := resource.PropertyMap{}
	if req.GetArgs() != nil && len(req.GetArgs().GetFields()) > 0 {
		m, err := props.Unmarshal("config", req.GetArgs())
		if err != nil {
			return nil, err
		}
		cfg = m
	} else {
		for k, v := range req.GetVariables() {
			// Keys look like "postgresql:config:host" (or the legacy "postgresql:host").
			name := k
			if i := strings.LastIndex(k, ":"); i >= 0 {
				name = k[i+1:]
			}
			cfg[resource.PropertyKey(name)] = resource.NewStringProperty(v)
		}
	}
	delete(cfg, "version")
	if s.OnConfigure != nil {
		s.mu.Lock()
		err := s.OnConfigure(cfg)
		s.mu.Unlock()
		if err != nil {
			return nil, s.scrub(err, cfg)
		}
	}
	return &pulumirpc.ConfigureResponse{
		AcceptSecrets:                   true,
		SupportsPreview:                 true,
		AcceptResources:                 true,
		SupportsAutonamingConfiguration: true,
	}, nil
}

// Check applies defaults and autonaming and validates the inputs.
func (s *Server) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	r, _, err := s.lookup(req.GetUrn(), req.GetType())
	if err != nil {
		return nil, err
	}
	olds, news, err := props.UnmarshalPair(req.GetOlds(), req.GetNews())
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

// Diff compares the new inputs with the old state per the schema's ForceNew rules.
func (s *Server) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	r, _, err := s.lookup(req.GetUrn(), req.GetType())
	if err != nil {
		return nil, err
	}
	olds, news, err := props.UnmarshalPair(req.GetOlds(), req.GetNews())
	if err != nil {
		return nil, err
	}
	return r.Schema().Diff(olds, news, req.GetIgnoreChanges()), nil
}

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
		outs := sch.MarkSecrets(previewOutputs(sch, resource.PropertyMap{}, inputs), inputs)
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
	outs = sch.MarkSecrets(outs, inputs)
	st, err := props.Marshal("outputs", outs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: st}, nil
}

// Read refreshes the state of a resource.
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
	id, outs, err := r.Read(ctx, req.GetId(), state, inputs)
	if err != nil {
		return nil, s.scrub(err, state, inputs)
	}
	if id == "" {
		return &pulumirpc.ReadResponse{}, nil
	}
	sch := r.Schema()
	outs = sch.MarkSecrets(outs, state, inputs)
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

// Update changes the resource in place (or previews the change).
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
	var outs resource.PropertyMap
	if req.GetPreview() || news.ContainsUnknowns() {
		if !req.GetPreview() {
			return nil, fmt.Errorf("%s: cannot update %s with unknown inputs", s.Name, sch.Token)
		}
		// Computed values stay as they are unless the resource recomputes them.
		base := olds.Copy()
		outs = previewOutputs(sch, base, news)
	} else {
		_, outs, err = r.Update(ctx, req.GetId(), olds, news)
		if err != nil {
			return nil, s.scrub(err, olds, news)
		}
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
	if err := r.Delete(ctx, req.GetId(), state); err != nil {
		return nil, s.scrub(err, state)
	}
	return &emptypb.Empty{}, nil
}

// Cancel is a no-op: every operation is short.
func (s *Server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// GetMapping reports no mapping (no conversion support).
func (s *Server) GetMapping(context.Context, *pulumirpc.GetMappingRequest) (*pulumirpc.GetMappingResponse, error) {
	return &pulumirpc.GetMappingResponse{}, nil
}

// GetMappings reports no mappings.
func (s *Server) GetMappings(context.Context, *pulumirpc.GetMappingsRequest) (*pulumirpc.GetMappingsResponse, error) {
	return &pulumirpc.GetMappingsResponse{}, nil
}

var _ pulumirpc.ResourceProviderServer = (*Server)(nil)
