package provider

// Diff of a resource's new inputs against its old state, per its schema.

import (
	"context"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

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
