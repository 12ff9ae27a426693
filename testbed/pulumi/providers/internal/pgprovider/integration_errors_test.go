package pgprovider

// Integration subtest: errors never carry a password (provider and admin ones).

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/rpctest"
)

// errorsNeverCarryAPassword is the subtest "errors never carry a password".
func (it *integration) errorsNeverCarryAPassword(t *testing.T) {
	c, srv, roleOut := it.c, it.srv, it.roleOut
	// Creating an existing role: the SQL error names the server, not the password.
	in := c.MustCheck(RoleToken, "dup", nil, resource.PropertyMap{
		"name": resource.NewStringProperty("gh_app"), "login": resource.NewBoolProperty(true), "password": secret("Sup3rS3cret!"),
	})
	_, _, err := c.Create(RoleToken, "dup", in, false)
	if err == nil {
		t.Fatal("duplicate role must fail")
	}
	msg := err.Error()
	t.Logf("duplicate role: %s", msg)
	if strings.Contains(msg, "Sup3rS3cret!") || strings.Contains(msg, adminPassword) {
		t.Fatalf("password leaked: %s", msg)
	}
	if !strings.Contains(msg, fmt.Sprintf("127.0.0.1:%d", srv.port)) || !strings.Contains(msg, "already exists") {
		t.Fatalf("error should name the server and the cause: %s", msg)
	}

	bad := New()
	bc := rpctest.Start(t, bad)
	cfg := srv.providerConfig()
	cfg["password"] = secret("wrong-Pa55")
	if err := bc.Configure("postgresql", cfg); err != nil {
		t.Fatal(err)
	}
	_, _, _, err = bc.Read(RoleToken, "app", "gh_app", roleOut, nil)
	t.Logf("wrong admin password: %v", err)
	if err == nil || !strings.Contains(err.Error(), "password authentication failed") || strings.Contains(err.Error(), "wrong-Pa55") {
		t.Fatalf("auth failure: %v", err)
	}
	closed := freePort(t)
	cfg["port"] = resource.NewStringProperty(strconv.Itoa(closed))
	if err := bc.Configure("postgresql", cfg); err != nil {
		t.Fatal(err)
	}
	_, _, _, err = bc.Read(RoleToken, "app", "gh_app", roleOut, nil)
	t.Logf("closed port: %v", err)
	want := fmt.Sprintf("postgresql: cannot connect to 127.0.0.1:%d as postgres: connection refused", closed)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %s", err, want)
	}
}
