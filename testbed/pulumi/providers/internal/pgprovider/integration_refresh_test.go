package pgprovider

// Integration subtest: refresh of a vanished resource reads as gone, and the final cleanup.

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// refreshOfAVanishedResourceAndDelete is the subtest "refresh of a vanished resource and delete".
func (it *integration) refreshOfAVanishedResourceAndDelete(t *testing.T) {
	c, srv := it.c, it.srv
	roleID, roleOut, dbOut, readerOut := it.roleID, it.roleOut, it.dbOut, it.readerOut
	if err := c.Delete(DatabaseToken, "appdb", "gh_appdb", dbOut); err != nil {
		t.Fatal(err)
	}
	id, _, _, err := c.Read(DatabaseToken, "appdb", "gh_appdb", dbOut, nil)
	if err != nil || id != "" {
		t.Fatalf("a dropped database reads as gone: %q %v", id, err)
	}
	id, _, _, err = c.Read(GrantToken, "g", "gh_reader_gh_appdb_database", pm(map[string]interface{}{
		"database": "gh_appdb", "role": "gh_reader", "objectType": "database", "privileges": []interface{}{"CONNECT"},
	}), nil)
	if err != nil || id != "" {
		t.Fatalf("a grant on a dropped database reads as gone: %q %v", id, err)
	}
	for _, r := range []struct {
		id  string
		out resource.PropertyMap
	}{{roleID, roleOut}, {"gh_reader", readerOut}} {
		if err := c.Delete(RoleToken, "r", r.id, r.out); err != nil {
			t.Fatal(err)
		}
		id, _, _, err := c.Read(RoleToken, "r", r.id, r.out, nil)
		if err != nil || id != "" {
			t.Fatalf("a dropped role reads as gone: %q %v", id, err)
		}
	}
	if got := srv.query(t, "postgres", "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'gh%'"); got[0] != "0" {
		t.Fatal("roles left")
	}
}
