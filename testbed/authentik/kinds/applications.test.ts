import { describe, expect, it } from "vitest";
import { useEmulator } from "../fixture";
import { providerBody } from "../testing";

const ak = useEmulator();
const { api } = ak;

async function provider(name = "p"): Promise<number> {
    const res = await api.post("/providers/oauth2/", await providerBody(api, { name }));
    expect(res.status).toBe(201);
    return res.body.pk as number;
}

describe("POST /core/applications/", () => {
    it("creates an application bound to a provider, with provider_obj and the launch URL guessed from the redirect URI", async () => {
        const pk = await provider();
        const res = await api.post("/core/applications/", { name: "Rediflow", slug: "rediflow", provider: pk });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({
            name: "Rediflow",
            slug: "rediflow",
            provider: pk,
            provider_obj: { pk, name: "p", component: "ak-provider-oauth2-form", assigned_application_slug: "rediflow" },
            backchannel_providers: [],
            backchannel_providers_obj: [],
            launch_url: "https://app.example.com",
            open_in_new_tab: false,
            meta_launch_url: "",
            meta_icon: "",
            meta_icon_url: null,
            meta_description: "",
            meta_publisher: "",
            policy_engine_mode: "any",
            group: "",
        });
        expect(res.body.pk).toBe(res.body.pbm_uuid);
        const p = await api.get(`/providers/oauth2/${pk}/`);
        expect(p.body.assigned_application_slug).toBe("rediflow");
        expect(p.body.assigned_application_name).toBe("Rediflow");
    });

    it("creates an application without provider (launch_url null)", async () => {
        const res = await api.post("/core/applications/", { name: "Plain", slug: "plain" });
        expect(res.status).toBe(201);
        expect(res.body.provider).toBeNull();
        expect(res.body.provider_obj).toBeNull();
        expect(res.body.launch_url).toBeNull();
    });

    it("rejects missing name and slug", async () => {
        const res = await api.post("/core/applications/", {});
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ name: ["This field is required."], slug: ["This field is required."] });
    });

    it("rejects an invalid slug, a reserved slug and a duplicate slug", async () => {
        const bad = await api.post("/core/applications/", { name: "x", slug: "not a slug" });
        expect(bad.body).toEqual({ slug: ["Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."] });
        const reserved = await api.post("/core/applications/", { name: "x", slug: "authorize" });
        expect(reserved.body).toEqual({ slug: ["The slug 'authorize' is reserved and cannot be used for applications."] });
        await api.post("/core/applications/", { name: "x", slug: "taken" });
        const dup = await api.post("/core/applications/", { name: "y", slug: "taken" });
        expect(dup.status).toBe(400);
        expect(dup.body).toEqual({ slug: ["Application with this slug already exists."] });
    });

    it("allows one application per provider (OneToOneField)", async () => {
        const pk = await provider();
        await api.post("/core/applications/", { name: "a", slug: "a", provider: pk });
        const res = await api.post("/core/applications/", { name: "b", slug: "b", provider: pk });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ provider: ["Application with this provider already exists."] });
    });

    it("rejects unknown and mistyped provider references, invalid enums and URLs", async () => {
        const res = await api.post("/core/applications/", {
            name: "a",
            slug: "a",
            provider: 999,
            policy_engine_mode: "some",
            meta_launch_url: "javascript:alert(1)",
            open_in_new_tab: "no",
        });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
            provider: ['Invalid pk "999" - object does not exist.'],
            policy_engine_mode: ['"some" is not a valid choice.'],
            meta_launch_url: ["Enter a valid URL."],
            open_in_new_tab: ["Must be a valid boolean."],
        });
        const typed = await api.post("/core/applications/", { name: "a", slug: "a", provider: "one" });
        expect(typed.body).toEqual({ provider: ["Incorrect type. Expected pk value, received str."] });
    });
});

describe("/core/applications/{slug}/", () => {
    it("is looked up by slug; unknown slugs 404 with the model name", async () => {
        await api.post("/core/applications/", { name: "App", slug: "app" });
        expect((await api.get("/core/applications/app/")).body.name).toBe("App");
        const missing = await api.get("/core/applications/nope/");
        expect(missing.status).toBe(404);
        expect(missing.body).toEqual({ detail: "No Application matches the given query." });
    });

    it("PUT needs name and slug; PATCH changes only what it sends", async () => {
        const pk = await provider();
        await api.post("/core/applications/", { name: "App", slug: "app", provider: pk, meta_description: "d" });
        const put = await api.put("/core/applications/app/", { name: "New" });
        expect(put.status).toBe(400);
        expect(put.body).toEqual({ slug: ["This field is required."] });
        const patch = await api.patch("/core/applications/app/", { meta_publisher: "ACME" });
        expect(patch.status).toBe(200);
        expect(patch.body).toMatchObject({ name: "App", provider: pk, meta_description: "d", meta_publisher: "ACME" });
        const full = await api.put("/core/applications/app/", { name: "New", slug: "app" });
        expect(full.status).toBe(200);
        // omitted optional fields keep their values under PUT, like DRF's update()
        expect(full.body).toMatchObject({ name: "New", provider: pk, meta_description: "d" });
    });

    it("renames the slug, detaches the provider with null, and keeps the slug unique", async () => {
        const pk = await provider();
        await api.post("/core/applications/", { name: "A", slug: "a", provider: pk });
        await api.post("/core/applications/", { name: "B", slug: "b" });
        const clash = await api.patch("/core/applications/b/", { slug: "a" });
        expect(clash.body).toEqual({ slug: ["Application with this slug already exists."] });
        const same = await api.patch("/core/applications/a/", { slug: "a", provider: pk });
        expect(same.status).toBe(200);
        const renamed = await api.patch("/core/applications/a/", { slug: "a2", provider: null });
        expect(renamed.body).toMatchObject({ slug: "a2", provider: null, provider_obj: null });
        expect((await api.get("/core/applications/a/")).status).toBe(404);
        expect((await api.get(`/providers/oauth2/${pk}/`)).body.assigned_application_slug).toBeNull();
        // the provider is free again
        expect((await api.patch("/core/applications/b/", { provider: pk })).status).toBe(200);
    });

    it("DELETE answers 204", async () => {
        await api.post("/core/applications/", { name: "A", slug: "a" });
        expect((await api.delete("/core/applications/a/")).status).toBe(204);
        expect((await api.get("/core/applications/a/")).status).toBe(404);
    });
});

describe("GET /core/applications/ filters", () => {
    it("filters by slug and name, searches and orders by name", async () => {
        await api.post("/core/applications/", { name: "Zeta", slug: "zeta", group: "tools" });
        await api.post("/core/applications/", { name: "Alpha", slug: "alpha", meta_publisher: "ACME" });
        const slugs = async (q: string) =>
            ((await api.get(`/core/applications/${q}`)).body.results as Array<{ slug: string }>).map((a) => a.slug);
        expect(await slugs("")).toEqual(["alpha", "zeta"]);
        expect(await slugs("?slug=zeta")).toEqual(["zeta"]);
        expect(await slugs("?name=Alpha")).toEqual(["alpha"]);
        expect(await slugs("?name=alpha")).toEqual([]);
        expect(await slugs("?name=")).toEqual(["alpha", "zeta"]); // empty filter values are ignored
        expect(await slugs("?search=acme")).toEqual(["alpha"]);
        expect(await slugs("?group=tools")).toEqual(["zeta"]);
        expect(await slugs("?ordering=-slug")).toEqual(["zeta", "alpha"]);
    });
});
