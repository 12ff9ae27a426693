package pgprovider

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"gatehouse.local/testbed/pulumi/providers/internal/rpctest"
)

// The engine also sends the configuration as a variables map keyed
// "postgresql:config:<name>"; it is used when args are absent.
func TestConfigureFromVariables(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	c := rpctest.Start(t, New())
	_, err = c.RPC.Configure(context.Background(), &pulumirpc.ConfigureRequest{Variables: map[string]string{
		"postgresql:config:host":           "127.0.0.1",
		"postgresql:config:port":           fmt.Sprint(port),
		"postgresql:config:username":       "admin",
		"postgresql:config:password":       "Hunter2-secret",
		"postgresql:config:sslmode":        "disable",
		"postgresql:config:connectTimeout": "3",
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, _, _, err = c.Read(RoleToken, "r", "x", pm(map[string]interface{}{"name": "x"}), nil)
	want := fmt.Sprintf("postgresql: cannot connect to 127.0.0.1:%d as admin: connection refused", port)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %s", err, want)
	}
	if strings.Contains(err.Error(), "Hunter2-secret") {
		t.Fatal("password leaked")
	}
}

func TestNotConfigured(t *testing.T) {
	c := rpctest.Start(t, New())
	_, _, _, err := c.Read(RoleToken, "r", "x", pm(map[string]interface{}{"name": "x"}), nil)
	if err == nil || !strings.Contains(err.Error(), "not configured") {
		t.Fatal(err)
	}
}

func TestUnknownType(t *testing.T) {
	c := rpctest.Start(t, New())
	_, _, err := c.Check("postgresql:index/extension:Extension", "e", nil, pm(map[string]interface{}{}))
	if err == nil || !strings.Contains(err.Error(), "unknown resource type") {
		t.Fatal(err)
	}
}
