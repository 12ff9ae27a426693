package pgprovider

// Integration subtests for roles: create and login, password change and rename, autonaming.

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

// roleCreateAndLogin is the subtest "role create and login".
func (it *integration) roleCreateAndLogin(t *testing.T) {
	c, srv, roleName, pw1 := it.c, it.srv, it.roleName, it.pw1
	in := c.MustCheck(RoleToken, "app", nil, resource.PropertyMap{
		"name": resource.NewStringProperty(roleName), "login": resource.NewBoolProperty(true), "password": secret(pw1),
	})
	if props.BoolOr(in, "inherit", false) != true || props.IntOr(in, "connectionLimit", 0) != -1 {
		t.Fatalf("defaults: %v", in)
	}
	_, prev, err := c.Create(RoleToken, "app", in, true)
	if err != nil || !prev["password"].IsSecret() {
		t.Fatalf("preview: %v %v", err, prev)
	}
	id, outs, err := c.Create(RoleToken, "app", in, false)
	if err != nil {
		t.Fatal(err)
	}
	if id != roleName {
		t.Fatalf("id = %q", id)
	}
	if !outs["password"].IsSecret() {
		t.Fatal("password must stay secret in outputs")
	}
	if err := srv.canLogin(roleName, pw1, "postgres"); err != nil {
		t.Fatalf("new role cannot log in: %v", err)
	}
	if d := c.Diff(RoleToken, "app", id, outs, in); len(d.GetDiffs()) != 0 {
		t.Fatalf("no diff expected after create: %v", d.GetDiffs())
	}
	rid, rout, _, err := c.Read(RoleToken, "app", id, outs, in)
	if err != nil || rid != id {
		t.Fatalf("read: %v %q", err, rid)
	}
	if d := c.Diff(RoleToken, "app", id, rout, in); len(d.GetDiffs()) != 0 {
		t.Fatalf("no diff expected after refresh: %v", d.GetDiffs())
	}
	it.roleID, it.roleOut = id, outs
}

// rolePasswordChangeAndRenameInPlace is the subtest "role password change and rename in place".
func (it *integration) rolePasswordChangeAndRenameInPlace(t *testing.T) {
	c, srv, roleName, pw1, pw2 := it.c, it.srv, it.roleName, it.pw1, it.pw2
	roleID, roleOut := it.roleID, it.roleOut
	in := c.MustCheck(RoleToken, "app", roleOut, resource.PropertyMap{
		"name": resource.NewStringProperty(roleName), "login": resource.NewBoolProperty(true), "password": secret(pw2),
		"connectionLimit": resource.NewNumberProperty(7), "searchPaths": resource.NewArrayProperty([]resource.PropertyValue{resource.NewStringProperty("app"), resource.NewStringProperty("public")}),
		"statementTimeout": resource.NewNumberProperty(5000),
	})
	d := c.Diff(RoleToken, "app", roleID, roleOut, in)
	if len(d.GetReplaces()) != 0 || len(d.GetDiffs()) != 4 {
		t.Fatalf("password/limit/searchPaths/statementTimeout change in place: %v %v", d.GetDiffs(), d.GetReplaces())
	}
	outs, err := c.Update(RoleToken, "app", roleID, roleOut, in, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.canLogin(roleName, pw2, "postgres"); err != nil {
		t.Fatalf("new password does not log in: %v", err)
	}
	if err := srv.canLogin(roleName, pw1, "postgres"); err == nil {
		t.Fatal("old password still logs in")
	}
	if got := srv.query(t, "postgres", "SELECT rolconnlimit FROM pg_roles WHERE rolname = $1", roleName); got[0] != "7" {
		t.Fatalf("connection limit %v", got)
	}
	if sp := props.Strings(outs, "searchPaths"); strings.Join(sp, ",") != "app,public" {
		t.Fatalf("searchPaths read back %v", sp)
	}
	if d := c.Diff(RoleToken, "app", roleID, outs, in); len(d.GetDiffs()) != 0 {
		t.Fatalf("no diff after update: %v", d.GetDiffs())
	}
	// Rename: an in-place update, the id follows the name.
	renamed := in.Copy()
	renamed["name"] = resource.NewStringProperty("gh_app")
	d = c.Diff(RoleToken, "app", roleID, outs, renamed)
	if len(d.GetReplaces()) != 0 || len(d.GetDiffs()) != 1 {
		t.Fatalf("rename must be an update: %v", d)
	}
	outs2, err := c.Update(RoleToken, "app", roleID, outs, renamed, false)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := props.String(outs2, "name"); n != "gh_app" {
		t.Fatal(n)
	}
	if err := srv.canLogin("gh_app", pw2, "postgres"); err != nil {
		t.Fatalf("renamed role cannot log in: %v", err)
	}
	it.roleID, it.roleOut = "gh_app", outs2
}

// autonaming is the subtest "autonaming".
func (it *integration) autonaming(t *testing.T) {
	c := it.c
	in := c.MustCheck(RoleToken, "reader", nil, pm(map[string]interface{}{}))
	n := props.StringOr(in, "name", "")
	if !strings.HasPrefix(n, "reader-") || len(n) != len("reader-")+7 {
		t.Fatalf("autoname %q", n)
	}
	again := c.MustCheck(RoleToken, "reader", in, pm(map[string]interface{}{}))
	if props.StringOr(again, "name", "") != n {
		t.Fatal("the autoname must be kept on later checks")
	}
}
