package provider

// Diff of a resource's new inputs against its old state, per its schema.

import (
	"context"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Diff compares the new inputs with the old state per the schema's ForceNew rules.
func (s *Server) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	r, olds, news, err := s.lookupPair(req)
	if err != nil {
		return nil, err
	}
	return r.Schema().Diff(olds, news, req.GetIgnoreChanges()), nil
}
