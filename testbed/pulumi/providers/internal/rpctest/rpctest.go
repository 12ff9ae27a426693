// Package rpctest serves a provider over real gRPC on a loopback port for
// tests, and offers a small client that speaks the engine's side of the
// protocol (Configure, Check, Diff, Create, Read, Update, Delete).
package rpctest

import (
	"context"
	"net"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/structpb"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

// Client is an engine-side view of a provider under test.
type Client struct {
	T   testing.TB
	RPC pulumirpc.ResourceProviderClient
	Ctx context.Context
}

// Start serves srv on 127.0.0.1:0 and returns a client; both stop with the test.
func Start(t testing.TB, srv pulumirpc.ResourceProviderServer) *Client {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := grpc.NewServer()
	pulumirpc.RegisterResourceProviderServer(g, srv)
	go func() { _ = g.Serve(lis) }()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Close()
		g.Stop()
	})
	return &Client{T: t, RPC: pulumirpc.NewResourceProviderClient(conn), Ctx: context.Background()}
}

// URN builds a URN for a resource of type typ named name.
func URN(typ, name string) string {
	return string(resource.NewURN("test", "proj", "", tokens.Type(typ), name))
}

func (c *Client) marshal(m resource.PropertyMap) *structpb.Struct {
	c.T.Helper()
	s, err := props.Marshal("test", m)
	if err != nil {
		c.T.Fatal(err)
	}
	return s
}

func (c *Client) unmarshal(s *structpb.Struct) resource.PropertyMap {
	c.T.Helper()
	m, err := props.Unmarshal("test", s)
	if err != nil {
		c.T.Fatal(err)
	}
	return m
}

// Configure sends the provider configuration as args (and variables, as the engine does).
func (c *Client) Configure(pkg string, cfg resource.PropertyMap) error {
	vars := map[string]string{}
	for k := range cfg {
		if s, ok := props.String(cfg, string(k)); ok {
			vars[pkg+":config:"+string(k)] = s
		}
	}
	_, err := c.RPC.Configure(c.Ctx, &pulumirpc.ConfigureRequest{Variables: vars, Args: c.marshal(cfg), AcceptSecrets: true, AcceptResources: true})
	return err
}

// Check returns the checked inputs and failures.
func (c *Client) Check(typ, name string, olds, news resource.PropertyMap) (resource.PropertyMap, []*pulumirpc.CheckFailure, error) {
	resp, err := c.RPC.Check(c.Ctx, &pulumirpc.CheckRequest{Urn: URN(typ, name), Type: typ, Name: name,
		Olds: c.marshal(olds), News: c.marshal(news), RandomSeed: []byte("seed")})
	if err != nil {
		return nil, nil, err
	}
	return c.unmarshal(resp.GetInputs()), resp.GetFailures(), nil
}

// MustCheck fails the test on an error or check failure.
func (c *Client) MustCheck(typ, name string, olds, news resource.PropertyMap) resource.PropertyMap {
	c.T.Helper()
	in, fails, err := c.Check(typ, name, olds, news)
	if err != nil {
		c.T.Fatalf("Check %s: %v", typ, err)
	}
	if len(fails) > 0 {
		c.T.Fatalf("Check %s failures: %v", typ, fails)
	}
	return in
}

// Diff compares checked inputs with a state.
func (c *Client) Diff(typ, name, id string, olds, news resource.PropertyMap) *pulumirpc.DiffResponse {
	c.T.Helper()
	resp, err := c.RPC.Diff(c.Ctx, &pulumirpc.DiffRequest{Urn: URN(typ, name), Type: typ, Name: name, Id: id,
		Olds: c.marshal(olds), News: c.marshal(news), OldInputs: c.marshal(olds)})
	if err != nil {
		c.T.Fatalf("Diff %s: %v", typ, err)
	}
	return resp
}

// Create creates (or previews) a resource.
func (c *Client) Create(typ, name string, in resource.PropertyMap, preview bool) (string, resource.PropertyMap, error) {
	resp, err := c.RPC.Create(c.Ctx, &pulumirpc.CreateRequest{Urn: URN(typ, name), Type: typ, Name: name,
		Properties: c.marshal(in), Preview: preview})
	if err != nil {
		return "", nil, err
	}
	return resp.GetId(), c.unmarshal(resp.GetProperties()), nil
}

// Read refreshes a resource.
func (c *Client) Read(typ, name, id string, state, in resource.PropertyMap) (string, resource.PropertyMap, resource.PropertyMap, error) {
	resp, err := c.RPC.Read(c.Ctx, &pulumirpc.ReadRequest{Urn: URN(typ, name), Type: typ, Name: name, Id: id,
		Properties: c.marshal(state), Inputs: c.marshal(in)})
	if err != nil {
		return "", nil, nil, err
	}
	return resp.GetId(), c.unmarshal(resp.GetProperties()), c.unmarshal(resp.GetInputs()), nil
}

// Update updates (or previews an update of) a resource.
func (c *Client) Update(typ, name, id string, olds, news resource.PropertyMap, preview bool) (resource.PropertyMap, error) {
	resp, err := c.RPC.Update(c.Ctx, &pulumirpc.UpdateRequest{Urn: URN(typ, name), Type: typ, Name: name, Id: id,
		Olds: c.marshal(olds), News: c.marshal(news), OldInputs: c.marshal(olds), Preview: preview})
	if err != nil {
		return nil, err
	}
	return c.unmarshal(resp.GetProperties()), nil
}

// Delete deletes a resource.
func (c *Client) Delete(typ, name, id string, state resource.PropertyMap) error {
	_, err := c.RPC.Delete(c.Ctx, &pulumirpc.DeleteRequest{Urn: URN(typ, name), Type: typ, Name: name, Id: id,
		Properties: c.marshal(state)})
	return err
}
