package provider

// The "id" output over gRPC with a resource whose id is its name, as a
// renamed postgresql role's is.

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
	"gatehouse.local/testbed/pulumi/providers/internal/rpctest"
	"gatehouse.local/testbed/pulumi/providers/internal/schema"
)

const namedToken = "test:index/named:Named"

// named is a resource whose id is its name; it records the ids it was given.
type named struct {
	live    map[string]bool
	deleted []string
}

func (n *named) Schema() *schema.Schema {
	return &schema.Schema{Token: namedToken, Fields: []schema.Field{{Name: "name", Kind: schema.String, Required: true}}}
}

func (n *named) Create(_ context.Context, in resource.PropertyMap) (string, resource.PropertyMap, error) {
	name := props.StringOr(in, "name", "")
	n.live[name] = true
	return name, in.Copy(), nil
}

func (n *named) Read(_ context.Context, id string, state, _ resource.PropertyMap) (string, resource.PropertyMap, error) {
	if !n.live[id] {
		return "", nil, nil
	}
	return id, resource.PropertyMap{"name": resource.NewStringProperty(id)}, nil
}

func (n *named) Update(_ context.Context, id string, _, news resource.PropertyMap) (string, resource.PropertyMap, error) {
	delete(n.live, id)
	name := props.StringOr(news, "name", "")
	n.live[name] = true
	return name, news.Copy(), nil
}

func (n *named) Delete(_ context.Context, id string, _ resource.PropertyMap) error {
	n.deleted = append(n.deleted, id)
	delete(n.live, id)
	return nil
}

func TestIDOutputFollowsARename(t *testing.T) {
	res := &named{live: map[string]bool{}}
	c := rpctest.Start(t, &Server{Name: "test", Version: "0.0.1", Resources: map[string]Resource{namedToken: res}})
	in := resource.PropertyMap{"name": resource.NewStringProperty("a")}
	_, prev, err := c.Create(namedToken, "r", in, true)
	if err != nil || !props.IsUnknown(prev, "id") {
		t.Fatalf("a create preview has an unknown id output: %v %v", err, prev)
	}
	id, outs, err := c.Create(namedToken, "r", in, false)
	if err != nil || id != "a" || props.StringOr(outs, "id", "") != "a" {
		t.Fatalf("create: %q %v %v", id, outs, err)
	}
	news := resource.PropertyMap{"name": resource.NewStringProperty("b")}
	if prev, err := c.Update(namedToken, "r", id, outs, news, true); err != nil || props.StringOr(prev, "id", "") != "a" {
		t.Fatalf("an update preview plans the prior id: %v %v", prev, err)
	}
	outs, err = c.Update(namedToken, "r", id, outs, news, false)
	if err != nil || props.StringOr(outs, "id", "") != "b" {
		t.Fatalf("update outputs carry the new id: %v %v", outs, err)
	}
	// The engine still says "a"; the outputs say "b" and win.
	rid, routs, rins, err := c.Read(namedToken, "r", "a", outs, news)
	if err != nil || rid != "b" || props.StringOr(routs, "id", "") != "b" {
		t.Fatalf("refresh by the id output: %q %v %v", rid, routs, err)
	}
	if _, ok := rins["id"]; ok {
		t.Fatalf("id is no input: %v", rins)
	}
	// A state without the output (import, or written before it existed) uses the request's id.
	if rid, _, _, err := c.Read(namedToken, "r", "b", nil, nil); err != nil || rid != "b" {
		t.Fatalf("import by the request id: %q %v", rid, err)
	}
	if err := c.Delete(namedToken, "r", "a", routs); err != nil || len(res.deleted) != 1 || res.deleted[0] != "b" {
		t.Fatalf("delete by the id output: %v %v", res.deleted, err)
	}
}
