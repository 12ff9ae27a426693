import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useEmulator } from "../fixture";
import { MISSING_UUID, flowPk } from "../testing";
import { SELF_SIGNED_CERTIFICATE, SELF_SIGNED_KEY } from "../seed-certificates";

const ak = useEmulator();
const { api } = ak;

describe("flows", () => {
    it("seeds the default flows with their designations", async () => {
        const res = await api.get("/flows/instances/?page_size=100");
        const bySlug = new Map((res.body.results as Array<{ slug: string; designation: string; authentication: string }>).map((f) => [f.slug, f]));
        expect(bySlug.get("default-authentication-flow")).toMatchObject({ designation: "authentication", title: "Welcome to authentik!" });
        expect(bySlug.get("default-invalidation-flow")).toMatchObject({ designation: "invalidation" });
        expect(bySlug.get("default-provider-authorization-explicit-consent")).toMatchObject({
            designation: "authorization",
            authentication: "require_authenticated",
        });
        expect(bySlug.get("default-provider-authorization-implicit-consent")).toMatchObject({ designation: "authorization" });
        expect(bySlug.get("default-provider-invalidation-flow")).toMatchObject({ designation: "invalidation", authentication: "none" });
        expect(bySlug.get("default-source-enrollment")).toMatchObject({ designation: "enrollment" });
        // ordering = ["slug", "name"]
        const slugs = [...bySlug.keys()];
        expect(slugs).toEqual([...slugs].sort());
    });

    it("lists by slug and designation, retrieves by slug", async () => {
        const bySlug = await api.get("/flows/instances/?slug=default-provider-invalidation-flow");
        expect(bySlug.body.pagination.count).toBe(1);
        const flow = bySlug.body.results[0];
        expect(flow).toMatchObject({
            slug: "default-provider-invalidation-flow",
            name: "Logout",
            policybindingmodel_ptr_id: flow.pk,
            export_url: "/api/v3/flows/instances/default-provider-invalidation-flow/export/",
            layout: "stacked",
            denied_action: "message_continue",
            policy_engine_mode: "any",
        });
        const auth = await api.get("/flows/instances/?designation=authorization");
        expect(auth.body.results.map((f: { slug: string }) => f.slug)).toEqual([
            "default-provider-authorization-explicit-consent",
            "default-provider-authorization-implicit-consent",
        ]);
        const bad = await api.get("/flows/instances/?designation=login");
        expect(bad.status).toBe(400);
        expect(bad.body).toEqual({ designation: ["Select a valid choice. login is not one of the available choices."] });
        expect((await api.get("/flows/instances/default-authentication-flow/")).body.slug).toBe("default-authentication-flow");
        expect((await api.get("/flows/instances/nope/")).body).toEqual({ detail: "No Flow matches the given query." });
    });

    it("creates flows with a unique slug and rejects bad input", async () => {
        const ok = await api.post("/flows/instances/", { name: "F", slug: "f", title: "F", designation: "authorization" });
        expect(ok.status).toBe(201);
        const dup = await api.post("/flows/instances/", { name: "F", slug: "f", title: "F", designation: "authorization" });
        expect(dup.body).toEqual({ slug: ["Flow with this slug already exists."] });
        const bad = await api.post("/flows/instances/", { name: "F", slug: "f g", designation: "login" });
        expect(bad.body).toEqual({
            title: ["This field is required."],
            slug: ["Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."],
            designation: ['"login" is not a valid choice.'],
        });
    });
});

describe("certificate key pairs", () => {
    it("seeds the self-signed certificate with schema-valid computed fields", async () => {
        const res = await api.get(`/crypto/certificatekeypairs/?name=${encodeURIComponent("authentik Self-signed Certificate")}`);
        expect(res.body.pagination.count).toBe(1);
        const kp = res.body.results[0];
        const x509 = new X509Certificate(SELF_SIGNED_CERTIFICATE);
        expect(kp).toMatchObject({
            name: "authentik Self-signed Certificate",
            private_key_available: true,
            key_type: "rsa",
            managed: null,
            fingerprint_sha256: x509.fingerprint256.toLowerCase(),
            fingerprint_sha1: x509.fingerprint.toLowerCase(),
            cert_subject: "OU=Self-signed,O=authentik Default,CN=authentik Self-signed Certificate",
            certificate_download_url: `/api/v3/crypto/certificatekeypairs/${kp.pk}/view_certificate/?download`,
        });
        expect(Date.parse(kp.cert_expiry)).toBeGreaterThan(Date.now());
        expect(kp).not.toHaveProperty("certificate_data");
        expect(kp).not.toHaveProperty("key_data");
        expect((await api.get(`/crypto/certificatekeypairs/${kp.pk}/`)).body).toEqual(kp);
    });

    it("filters by managed and has_key", async () => {
        const managed = await api.get("/crypto/certificatekeypairs/?managed=goauthentik.io/crypto/jwt-managed");
        expect(managed.body.results.map((k: { name: string }) => k.name)).toEqual(["authentik Internal JWT Certificate"]);
        const withKey = await api.get("/crypto/certificatekeypairs/?has_key=true");
        expect(withKey.body.pagination.count).toBe(2);
        expect((await api.get("/crypto/certificatekeypairs/?key_type=ec")).body.pagination.count).toBe(0);
        expect((await api.get(`/crypto/certificatekeypairs/${MISSING_UUID}/`)).body).toEqual({
            detail: "No CertificateKeyPair matches the given query.",
        });
    });

    it("imports a PEM pair and rejects invalid data and duplicate names", async () => {
        const ok = await api.post("/crypto/certificatekeypairs/", {
            name: "imported",
            certificate_data: SELF_SIGNED_CERTIFICATE,
            key_data: SELF_SIGNED_KEY,
        });
        expect(ok.status).toBe(201);
        expect(ok.body.private_key_available).toBe(true);
        const certOnly = await api.post("/crypto/certificatekeypairs/", { name: "cert-only", certificate_data: SELF_SIGNED_CERTIFICATE });
        expect(certOnly.body.private_key_available).toBe(false);
        const bad = await api.post("/crypto/certificatekeypairs/", { name: "imported", certificate_data: "nope", key_data: "nope" });
        expect(bad.body).toEqual({
            name: ["Certificate-Key Pair with this name already exists."],
            certificate_data: ["Unable to load certificate."],
            key_data: ["Unable to load private key (possibly encrypted?)."],
        });
        expect((await api.post("/crypto/certificatekeypairs/", { name: "x" })).body).toEqual({
            certificate_data: ["This field is required."],
        });
    });
});

describe("scope mappings", () => {
    const managedIds = [
        "goauthentik.io/providers/oauth2/scope-openid",
        "goauthentik.io/providers/oauth2/scope-email",
        "goauthentik.io/providers/oauth2/scope-profile",
        "goauthentik.io/providers/oauth2/scope-offline_access",
        "goauthentik.io/providers/oauth2/scope-entitlements",
        "goauthentik.io/providers/oauth2/scope-authentik_api",
    ];

    it("seeds the managed OAuth scope mappings", async () => {
        const query = managedIds.map((m) => `managed=${encodeURIComponent(m)}`).join("&");
        const res = await api.get(`/propertymappings/provider/scope/?${query}`);
        expect(res.body.pagination.count).toBe(managedIds.length);
        const byManaged = new Map((res.body.results as Array<{ managed: string; scope_name: string }>).map((m) => [m.managed, m]));
        expect(byManaged.get("goauthentik.io/providers/oauth2/scope-openid")).toMatchObject({
            scope_name: "openid",
            name: "authentik default OAuth Mapping: OpenID 'openid'",
            component: "ak-property-mapping-provider-scope-form",
            meta_model_name: "authentik_providers_oauth2.scopemapping",
        });
        expect(byManaged.get("goauthentik.io/providers/oauth2/scope-email")).toMatchObject({ scope_name: "email", description: "Email address" });
        expect(byManaged.get("goauthentik.io/providers/oauth2/scope-profile")).toMatchObject({ scope_name: "profile" });
        expect(byManaged.get("goauthentik.io/providers/oauth2/scope-offline_access")).toMatchObject({ scope_name: "offline_access" });
    });

    it("filters managed__isnull and scope_name, creates custom mappings", async () => {
        expect((await api.get("/propertymappings/provider/scope/?managed__isnull=true")).body.pagination.count).toBe(0);
        const created = await api.post("/propertymappings/provider/scope/", {
            name: "rediflow roles",
            scope_name: "roles",
            expression: 'return {"roles": []}',
        });
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({ managed: null, description: "", scope_name: "roles" });
        expect((await api.get("/propertymappings/provider/scope/?managed__isnull=true")).body.results[0].name).toBe("rediflow roles");
        expect((await api.get("/propertymappings/provider/scope/?scope_name=roles")).body.pagination.count).toBe(1);
    });

    it("rejects missing fields, blanks and duplicate names or managed ids", async () => {
        expect((await api.post("/propertymappings/provider/scope/", {})).body).toEqual({
            name: ["This field is required."],
            expression: ["This field is required."],
            scope_name: ["This field is required."],
        });
        const dup = await api.post("/propertymappings/provider/scope/", {
            name: "authentik default OAuth Mapping: OpenID 'email'",
            scope_name: "",
            expression: "return {}",
            managed: "goauthentik.io/providers/oauth2/scope-email",
        });
        expect(dup.body).toEqual({
            name: ["Property Mapping with this name already exists."],
            managed: ["Property Mapping with this Managed by authentik already exists."],
            scope_name: ["This field may not be blank."],
        });
    });

    it("trims surrounding whitespace like DRF's CharField (expressions too)", async () => {
        const res = await api.post("/propertymappings/provider/scope/", {
            name: "  padded  ",
            scope_name: "roles",
            expression: "return {}\n",
            description: " d ",
        });
        expect(res.body).toMatchObject({ name: "padded", expression: "return {}", description: "d" });
        const blank = await api.post("/propertymappings/provider/scope/", { name: "   ", scope_name: "x", expression: "return {}" });
        expect(blank.body).toEqual({ name: ["This field may not be blank."] });
        const seeded = (await api.get("/propertymappings/provider/scope/?scope_name=openid")).body.results[0];
        expect(seeded.expression.endsWith("return {}")).toBe(true);
    });

    it("PUT vs PATCH and 404", async () => {
        const m = (await api.post("/propertymappings/provider/scope/", { name: "m", scope_name: "s", expression: "return {}" })).body;
        expect((await api.put(`/propertymappings/provider/scope/${m.pk}/`, { name: "m2" })).body).toEqual({
            expression: ["This field is required."],
            scope_name: ["This field is required."],
        });
        expect((await api.patch(`/propertymappings/provider/scope/${m.pk}/`, { description: "d" })).body).toMatchObject({
            name: "m",
            description: "d",
        });
        expect((await api.get(`/propertymappings/provider/scope/${MISSING_UUID}/`)).body).toEqual({
            detail: "No ScopeMapping matches the given query.",
        });
    });
});

describe("brands", () => {
    it("seeds the default brand with the default flows", async () => {
        const res = await api.get("/core/brands/?domain=authentik-default");
        expect(res.body.pagination.count).toBe(1);
        expect(res.body.results[0]).toMatchObject({
            domain: "authentik-default",
            default: true,
            branding_title: "authentik",
            flow_authentication: await flowPk(api, "default-authentication-flow"),
            flow_invalidation: await flowPk(api, "default-invalidation-flow"),
            flow_user_settings: await flowPk(api, "default-user-settings-flow"),
            flow_recovery: null,
        });
    });

    it("allows a single default brand", async () => {
        const res = await api.post("/core/brands/", { domain: "app.example.com", default: true });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ default: ["Only a single brand can be set as default."] });
        const ok = await api.post("/core/brands/", { domain: "app.example.com", branding_title: "App" });
        expect(ok.status).toBe(201);
        expect(ok.body).toMatchObject({ default: false, branding_title: "App", attributes: {} });
        const existing = (await api.get("/core/brands/?default=true")).body.results[0];
        expect((await api.patch(`/core/brands/${existing.brand_uuid}/`, { default: true })).status).toBe(200);
    });

    it("validates references and required fields; PUT vs PATCH", async () => {
        const bad = await api.post("/core/brands/", { domain: "", flow_authentication: MISSING_UUID, web_certificate: "x" });
        expect(bad.body).toEqual({
            domain: ["This field may not be blank."],
            flow_authentication: [`Invalid pk "${MISSING_UUID}" - object does not exist.`],
            web_certificate: ["“x” is not a valid UUID."],
        });
        const b = (await api.post("/core/brands/", { domain: "b.example.com", branding_title: "B" })).body;
        expect((await api.put(`/core/brands/${b.brand_uuid}/`, { branding_title: "C" })).body).toEqual({
            domain: ["This field is required."],
        });
        expect((await api.patch(`/core/brands/${b.brand_uuid}/`, { branding_title: "C" })).body).toMatchObject({
            domain: "b.example.com",
            branding_title: "C",
        });
        expect((await api.delete(`/core/brands/${b.brand_uuid}/`)).status).toBe(204);
        expect((await api.get(`/core/brands/${b.brand_uuid}/`)).body).toEqual({ detail: "No Brand matches the given query." });
    });
});
