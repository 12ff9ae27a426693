import { describe, expect, it } from "vitest";
import { useEmulator } from "../fixture";
import { MISSING_UUID } from "../testing";

const ak = useEmulator();
const { api } = ak;

describe("users", () => {
    it("seeds akadmin, superuser through 'authentik Admins'", async () => {
        const res = await api.get("/core/users/?username=akadmin");
        expect(res.body.pagination.count).toBe(1);
        expect(res.body.results[0]).toMatchObject({
            username: "akadmin",
            name: "authentik Default Admin",
            is_superuser: true,
            is_active: true,
            type: "internal",
            path: "users",
            groups_obj: [{ name: "authentik Admins", is_superuser: true }],
        });
    });

    it("creates a user with the model defaults and never returns a password", async () => {
        const res = await api.post("/core/users/", { username: "alice", name: "Alice", email: "alice@example.com" });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({
            username: "alice",
            name: "Alice",
            email: "alice@example.com",
            is_active: true,
            is_superuser: false,
            path: "users",
            type: "internal",
            attributes: {},
            groups: [],
            groups_obj: [],
            roles: [],
            last_login: null,
        });
        expect(typeof res.body.pk).toBe("number");
        expect(res.body.uid).toMatch(/^[0-9a-f]{64}$/);
        expect(res.body).not.toHaveProperty("password");
        expect(JSON.stringify(res.body)).not.toMatch(/pbkdf2/);
    });

    it("rejects missing required fields, wrong types and invalid enums", async () => {
        const missing = await api.post("/core/users/", {});
        expect(missing.body).toEqual({ username: ["This field is required."], name: ["This field is required."] });
        const bad = await api.post("/core/users/", {
            username: "bob",
            name: "Bob",
            is_active: "maybe",
            type: "robot",
            email: "not-an-email",
            attributes: [],
            groups: [MISSING_UUID],
        });
        expect(bad.status).toBe(400);
        expect(bad.body).toEqual({
            is_active: ["Must be a valid boolean."],
            type: ['"robot" is not a valid choice.'],
            email: ["Enter a valid email address."],
            attributes: ["Value must be a dictionary, and not have any duplicate keys."],
            groups: [`Invalid pk "${MISSING_UUID}" - object does not exist.`],
        });
    });

    it("enforces a unique username with the serializer's UniqueValidator message", async () => {
        const res = await api.post("/core/users/", { username: "akadmin", name: "x" });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ username: ["This field must be unique."] });
        const long = await api.post("/core/users/", { username: "u".repeat(151), name: "x" });
        expect(long.body).toEqual({ username: ["Ensure this field has no more than 150 characters."] });
    });

    it("validates the path and refuses internal service accounts", async () => {
        const slash = await api.post("/core/users/", { username: "a", name: "a", path: "/users" });
        expect(slash.body).toEqual({ path: ["No leading or trailing slashes allowed."] });
        const empty = await api.post("/core/users/", { username: "a", name: "a", path: "users//x" });
        expect(empty.body).toEqual({ path: ["No empty segments in user path allowed."] });
        const blank = await api.post("/core/users/", { username: "a", name: "a", path: "" });
        expect(blank.body).toEqual({ path: ["This field may not be blank."] });
        const isa = await api.post("/core/users/", { username: "a", name: "a", type: "internal_service_account" });
        expect(isa.body).toEqual({ type: ["Setting a user to internal service account is not allowed."] });
        const ok = await api.post("/core/users/", { username: "a", name: "a", path: "users/test", type: "service_account" });
        expect(ok.status).toBe(201);
    });

    it("sets a password with set_password (204), never echoing it", async () => {
        const user = (await api.post("/core/users/", { username: "carol", name: "Carol" })).body;
        expect(ak.checkPassword("carol", "hunter2")).toBe(false);
        const res = await api.post(`/core/users/${user.pk}/set_password/`, { password: "hunter2" });
        expect(res.status).toBe(204);
        expect(res.text).toBe("");
        expect(ak.checkPassword("carol", "hunter2")).toBe(true);
        expect(ak.checkPassword("carol", "wrong")).toBe(false);
        const after = await api.get(`/core/users/${user.pk}/`);
        expect(after.body).not.toHaveProperty("password");
        expect(after.body.password_change_date >= user.password_change_date).toBe(true);
    });

    it("set_password rejects a missing or blank password and unknown users", async () => {
        const user = (await api.post("/core/users/", { username: "dave", name: "Dave" })).body;
        expect((await api.post(`/core/users/${user.pk}/set_password/`, {})).body).toEqual({ password: ["This field is required."] });
        expect((await api.post(`/core/users/${user.pk}/set_password/`, { password: "" })).body).toEqual({
            password: ["This field may not be blank."],
        });
        const missing = await api.post("/core/users/999/set_password/", { password: "x" });
        expect(missing.status).toBe(404);
        expect(missing.body).toEqual({ detail: "No User matches the given query." });
    });

    it("PUT needs username and name; PATCH updates attributes and groups", async () => {
        const group = (await api.post("/core/groups/", { name: "staff" })).body;
        const user = (await api.post("/core/users/", { username: "erin", name: "Erin", attributes: { a: 1 } })).body;
        const put = await api.put(`/core/users/${user.pk}/`, { name: "Erin E." });
        expect(put.body).toEqual({ username: ["This field is required."] });
        const patch = await api.patch(`/core/users/${user.pk}/`, { attributes: { b: 2 }, groups: [group.pk] });
        expect(patch.status).toBe(200);
        expect(patch.body).toMatchObject({ username: "erin", name: "Erin", attributes: { b: 2 }, groups: [group.pk] });
        expect((await api.patch(`/core/users/${user.pk}/`, { username: "akadmin" })).body).toEqual({
            username: ["This field must be unique."],
        });
        expect((await api.patch(`/core/users/${user.pk}/`, { username: "erin" })).status).toBe(200);
    });

    it("filters by username, path, type, superuser status, attributes and searches", async () => {
        await api.post("/core/users/", { username: "svc", name: "Service", type: "service_account", path: "services" });
        await api.post("/core/users/", { username: "frank", name: "Frank", attributes: { team: "ops" } });
        const names = async (q: string) =>
            ((await api.get(`/core/users/${q}`)).body.results as Array<{ username: string }>).map((u) => u.username);
        expect(await names("")).toEqual(["akadmin", "frank", "svc"]);
        expect(await names("?username=frank")).toEqual(["frank"]);
        expect(await names("?path=services")).toEqual(["svc"]);
        expect(await names("?type=service_account&type=internal")).toEqual(["akadmin", "frank", "svc"]);
        expect(await names("?type=external")).toEqual([]);
        expect(await names("?is_superuser=true")).toEqual(["akadmin"]);
        // a join over direct groups: users without groups match neither true nor false
        expect(await names("?is_superuser=false")).toEqual([]);
        expect(await names(`?attributes=${encodeURIComponent('{"team":"ops"}')}`)).toEqual(["frank"]);
        expect(await names("?search=FRAN")).toEqual(["frank"]);
        const bad = await api.get("/core/users/?type=robot");
        expect(bad.status).toBe(400);
        expect(bad.body).toEqual({ type: ["Select a valid choice. robot is not one of the available choices."] });
    });

    it("404s unknown users and deletes with 204", async () => {
        expect((await api.get("/core/users/999/")).body).toEqual({ detail: "No User matches the given query." });
        const user = (await api.post("/core/users/", { username: "gone", name: "Gone" })).body;
        expect((await api.delete(`/core/users/${user.pk}/`)).status).toBe(204);
        expect((await api.get(`/core/users/${user.pk}/`)).status).toBe(404);
    });
});

describe("groups", () => {
    it("creates a group with parents, users and attributes", async () => {
        const parent = (await api.post("/core/groups/", { name: "parent" })).body;
        const admin = (await api.get("/core/users/?username=akadmin")).body.results[0];
        const res = await api.post("/core/groups/", {
            name: "child",
            parents: [parent.pk],
            users: [admin.pk],
            attributes: { color: "blue" },
            is_superuser: false,
        });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({
            name: "child",
            parents: [parent.pk],
            parents_obj: null,
            users: [admin.pk],
            users_obj: [{ username: "akadmin" }],
            attributes: { color: "blue" },
            is_superuser: false,
            roles: [],
            roles_obj: [],
            children: [],
            children_obj: null,
        });
        expect(res.body.num_pk).toBeLessThan(100000);
        const p = await api.get(`/core/groups/${parent.pk}/?include_children=true&include_users=false`);
        expect(p.body.children).toEqual([res.body.pk]);
        expect(p.body.children_obj).toEqual([
            { pk: res.body.pk, name: "child", is_superuser: false, attributes: { color: "blue" }, group_uuid: res.body.pk },
        ]);
        expect(p.body.users_obj).toBeNull();
        const withParents = await api.get(`/core/groups/${res.body.pk}/?include_parents=true`);
        expect(withParents.body.parents_obj).toEqual([
            { pk: parent.pk, name: "parent", is_superuser: false, attributes: {}, group_uuid: parent.pk },
        ]);
        const user = await api.get(`/core/users/${admin.pk}/`);
        expect(user.body.groups).toContain(res.body.pk);
    });

    it("makes members superusers through a superuser parent group", async () => {
        const top = (await api.post("/core/groups/", { name: "top", is_superuser: true })).body;
        const sub = (await api.post("/core/groups/", { name: "sub", parents: [top.pk] })).body;
        const user = (await api.post("/core/users/", { username: "h", name: "H", groups: [sub.pk] })).body;
        expect(user.is_superuser).toBe(true);
    });

    it("rejects a duplicate name, unknown references, a self parent and wrong types", async () => {
        expect((await api.post("/core/groups/", { name: "authentik Admins" })).body).toEqual({
            name: ["Group with this name already exists."],
        });
        const bad = await api.post("/core/groups/", {
            name: "x",
            parents: [MISSING_UUID],
            users: [999],
            roles: [MISSING_UUID],
            is_superuser: "no",
        });
        expect(bad.body).toEqual({
            parents: [`Invalid pk "${MISSING_UUID}" - object does not exist.`],
            users: ['Invalid pk "999" - object does not exist.'],
            roles: [`Invalid pk "${MISSING_UUID}" - object does not exist.`],
            is_superuser: ["Must be a valid boolean."],
        });
        const g = (await api.post("/core/groups/", { name: "g" })).body;
        expect((await api.patch(`/core/groups/${g.pk}/`, { parents: [g.pk] })).body).toEqual({
            parents: ["Cannot set group as parent of itself."],
        });
        expect((await api.post("/core/groups/", {})).body).toEqual({ name: ["This field is required."] });
    });

    it("PUT needs the name; PATCH keeps the rest", async () => {
        const g = (await api.post("/core/groups/", { name: "g", attributes: { k: "v" } })).body;
        expect((await api.put(`/core/groups/${g.pk}/`, { attributes: {} })).body).toEqual({ name: ["This field is required."] });
        const patch = await api.patch(`/core/groups/${g.pk}/`, { is_superuser: true });
        expect(patch.body).toMatchObject({ name: "g", attributes: { k: "v" }, is_superuser: true });
        const put = await api.put(`/core/groups/${g.pk}/`, { name: "g2" });
        expect(put.body).toMatchObject({ name: "g2", attributes: { k: "v" }, is_superuser: true });
    });

    it("adds and removes members with add_user/remove_user", async () => {
        const g = (await api.post("/core/groups/", { name: "g" })).body;
        const u = (await api.post("/core/users/", { username: "i", name: "I" })).body;
        expect((await api.post(`/core/groups/${g.pk}/add_user/`, { pk: u.pk })).status).toBe(204);
        expect((await api.get(`/core/groups/${g.pk}/`)).body.users).toEqual([u.pk]);
        expect((await api.post(`/core/groups/${g.pk}/remove_user/`, { pk: u.pk })).status).toBe(204);
        expect((await api.get(`/core/groups/${g.pk}/`)).body.users).toEqual([]);
        const missing = await api.post(`/core/groups/${g.pk}/add_user/`, { pk: 999 });
        expect(missing.status).toBe(404);
        expect((await api.post(`/core/groups/${g.pk}/add_user/`, {})).body).toEqual({ pk: ["This field is required."] });
    });

    it("filters by name, superuser status and members, and 404s unknown groups", async () => {
        await api.post("/core/groups/", { name: "readers" });
        const names = async (q: string) =>
            ((await api.get(`/core/groups/${q}`)).body.results as Array<{ name: string }>).map((g) => g.name);
        expect(await names("?name=readers")).toEqual(["readers"]);
        expect(await names("?is_superuser=true")).toEqual(["authentik Admins"]);
        expect(await names("?members_by_username=akadmin")).toEqual(["authentik Admins"]);
        expect(await names("?search=read")).toEqual(["readers"]);
        const missing = await api.get(`/core/groups/${MISSING_UUID}/`);
        expect(missing.body).toEqual({ detail: "No Group matches the given query." });
        expect((await api.get("/core/groups/not-a-uuid/")).body).toEqual({ detail: "Not found." });
    });
});
