import { describe, expect, it } from "vitest";
import { useEmulator } from "../fixture";
import { flowPk, providerBody } from "../testing";

const ak = useEmulator();
const { api } = ak;

async function newFlow(slug: string, designation: string): Promise<string> {
    const res = await api.post("/flows/instances/", { name: slug, slug, title: slug, designation });
    expect(res.status).toBe(201);
    return res.body.pk as string;
}

describe("deleting referenced objects (on_delete rules of authentik's models)", () => {
    it("a deleted authorization flow deletes its providers (CASCADE); their application loses the provider", async () => {
        const flow = await newFlow("custom-authz", "authorization");
        const p = (await api.post("/providers/oauth2/", await providerBody(api, { authorization_flow: flow }))).body;
        const other = (await api.post("/providers/oauth2/", await providerBody(api, { name: "other" }))).body;
        await api.post("/core/applications/", { name: "App", slug: "app", provider: p.pk });
        expect((await api.delete("/flows/instances/custom-authz/")).status).toBe(204);
        expect((await api.get(`/providers/oauth2/${p.pk}/`)).status).toBe(404);
        expect((await api.get(`/providers/oauth2/${other.pk}/`)).status).toBe(200);
        const app = await api.get("/core/applications/app/");
        expect(app.body.provider).toBeNull();
        expect(app.body.provider_obj).toBeNull();
    });

    it("a deleted invalidation or authentication flow is set to null on providers", async () => {
        const invalidation = await newFlow("custom-inval", "invalidation");
        const authentication = await newFlow("custom-auth", "authentication");
        const p = (
            await api.post("/providers/oauth2/", await providerBody(api, { invalidation_flow: invalidation, authentication_flow: authentication }))
        ).body;
        await api.delete("/flows/instances/custom-inval/");
        await api.delete("/flows/instances/custom-auth/");
        const after = await api.get(`/providers/oauth2/${p.pk}/`);
        expect(after.status).toBe(200);
        expect(after.body.invalidation_flow).toBeNull();
        expect(after.body.authentication_flow).toBeNull();
    });

    it("a deleted flow is set to null on brands", async () => {
        const brand = (await api.get("/core/brands/?default=true")).body.results[0];
        expect(brand.flow_authentication).toBe(await flowPk(api, "default-authentication-flow"));
        await api.delete("/flows/instances/default-authentication-flow/");
        const after = await api.get(`/core/brands/${brand.brand_uuid}/`);
        expect(after.body.flow_authentication).toBeNull();
        expect(after.body.flow_invalidation).not.toBeNull();
    });

    it("a deleted provider leaves its application without provider (SET_DEFAULT None)", async () => {
        const p = (await api.post("/providers/oauth2/", await providerBody(api))).body;
        await api.post("/core/applications/", { name: "App", slug: "app", provider: p.pk });
        expect((await api.delete(`/providers/oauth2/${p.pk}/`)).status).toBe(204);
        const app = await api.get("/core/applications/app/");
        expect(app.status).toBe(200);
        expect(app.body.provider).toBeNull();
    });

    it("a deleted application leaves its provider in place, unassigned", async () => {
        const p = (await api.post("/providers/oauth2/", await providerBody(api))).body;
        await api.post("/core/applications/", { name: "App", slug: "app", provider: p.pk });
        await api.delete("/core/applications/app/");
        const after = await api.get(`/providers/oauth2/${p.pk}/`);
        expect(after.status).toBe(200);
        expect(after.body.assigned_application_slug).toBeNull();
    });

    it("a deleted application deletes its backchannel providers (CASCADE) and clears brand default_application", async () => {
        const p = (await api.post("/providers/oauth2/", await providerBody(api, { name: "bc" }))).body;
        const app = (await api.post("/core/applications/", { name: "App", slug: "app", backchannel_providers: [p.pk] })).body;
        expect(app.backchannel_providers).toEqual([p.pk]);
        const brand = (await api.post("/core/brands/", { domain: "x.example.com", default_application: app.pk })).body;
        await api.delete("/core/applications/app/");
        expect((await api.get(`/providers/oauth2/${p.pk}/`)).status).toBe(404);
        expect((await api.get(`/core/brands/${brand.brand_uuid}/`)).body.default_application).toBeNull();
    });

    it("a deleted group removes memberships and parent links, not the users or child groups", async () => {
        const parent = (await api.post("/core/groups/", { name: "parent", is_superuser: true })).body;
        const child = (await api.post("/core/groups/", { name: "child", parents: [parent.pk] })).body;
        const user = (await api.post("/core/users/", { username: "u", name: "U", groups: [parent.pk, child.pk] })).body;
        expect(user.is_superuser).toBe(true);
        expect((await api.delete(`/core/groups/${parent.pk}/`)).status).toBe(204);
        const u = await api.get(`/core/users/${user.pk}/`);
        expect(u.body.groups).toEqual([child.pk]);
        expect(u.body.is_superuser).toBe(false);
        const c = await api.get(`/core/groups/${child.pk}/`);
        expect(c.status).toBe(200);
        expect(c.body.parents).toEqual([]);
    });

    it("a deleted user disappears from group members", async () => {
        const group = (await api.post("/core/groups/", { name: "g" })).body;
        const user = (await api.post("/core/users/", { username: "u", name: "U", groups: [group.pk] })).body;
        expect((await api.get(`/core/groups/${group.pk}/`)).body.users).toEqual([user.pk]);
        await api.delete(`/core/users/${user.pk}/`);
        expect((await api.get(`/core/groups/${group.pk}/`)).body.users).toEqual([]);
    });

    it("a deleted certificate is set to null as signing key (SET_NULL) and web certificate", async () => {
        const kp = (await api.get(`/crypto/certificatekeypairs/?name=${encodeURIComponent("authentik Self-signed Certificate")}`)).body.results[0];
        const p = (await api.post("/providers/oauth2/", await providerBody(api, { signing_key: kp.pk, encryption_key: kp.pk }))).body;
        const brand = (await api.post("/core/brands/", { domain: "x.example.com", web_certificate: kp.pk, client_certificates: [kp.pk] })).body;
        expect((await api.delete(`/crypto/certificatekeypairs/${kp.pk}/`)).status).toBe(204);
        const after = await api.get(`/providers/oauth2/${p.pk}/`);
        expect(after.body.signing_key).toBeNull();
        expect(after.body.encryption_key).toBeNull();
        const b = await api.get(`/core/brands/${brand.brand_uuid}/`);
        expect(b.body.web_certificate).toBeNull();
        expect(b.body.client_certificates).toEqual([]);
    });

    it("a deleted scope mapping is removed from providers' property_mappings", async () => {
        const all = (await api.get("/propertymappings/provider/scope/")).body.results as Array<{ pk: string; scope_name: string }>;
        const openid = all.find((m) => m.scope_name === "openid")?.pk;
        const email = all.find((m) => m.scope_name === "email")?.pk;
        const p = (await api.post("/providers/oauth2/", await providerBody(api, { property_mappings: [openid, email] }))).body;
        expect(p.property_mappings).toEqual([openid, email]);
        await api.delete(`/propertymappings/provider/scope/${email}/`);
        expect((await api.get(`/providers/oauth2/${p.pk}/`)).body.property_mappings).toEqual([openid]);
    });
});
