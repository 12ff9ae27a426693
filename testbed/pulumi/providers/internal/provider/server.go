// Package provider implements the Pulumi ResourceProvider gRPC protocol for
// the stand-in providers: it dispatches on the resource type token, applies
// the schema (defaults, required inputs, autonaming, diff, secrets, preview
// unknowns) and leaves only the real work (Create/Read/Update/Delete) to each
// resource implementation.
package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

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

// request is what the resource requests have in common: a URN and a type token.
type request interface {
	GetUrn() string
	GetType() string
}

// lookupProperties is lookup for a Create, Read or Delete request, and its
// properties decoded.
func (s *Server) lookupProperties(req interface {
	request
	GetProperties() *structpb.Struct
}) (Resource, resource.PropertyMap, error) {
	r, _, err := s.lookup(req.GetUrn(), req.GetType())
	if err != nil {
		return nil, nil, err
	}
	m, err := props.Unmarshal("properties", req.GetProperties())
	if err != nil {
		return nil, nil, err
	}
	return r, m, nil
}

// lookupPair is lookup for a Check, Diff or Update request, and its olds and
// news decoded.
func (s *Server) lookupPair(req interface {
	request
	GetOlds() *structpb.Struct
	GetNews() *structpb.Struct
}) (Resource, resource.PropertyMap, resource.PropertyMap, error) {
	r, _, err := s.lookup(req.GetUrn(), req.GetType())
	if err != nil {
		return nil, nil, nil, err
	}
	olds, news, err := props.UnmarshalPair(req.GetOlds(), req.GetNews())
	if err != nil {
		return nil, nil, nil, err
	}
	return r, olds, news, nil
}

func (s *Server) tokens() []string {
	var out []string
	for k := range s.Resources {
		out = append(out, k)
	}
	sort.Strings(out)
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
