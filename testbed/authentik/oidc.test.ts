import { describe, expect, it } from "vitest";
import { useEmulator } from "./fixture";
import { providerBody } from "./testing";

const ak = useEmulator();
const { api, anonymous } = ak;

async function scopes(...names: string[]): Promise<string[]> {
    const all = (await api.get("/propertymappings/provider/scope/")).body.results as Array<{ pk: string; scope_name: string }>;
    return names.map((n) => {
        const found = all.find((m) => m.scope_name === n);
        if (!found) throw new Error(n);
        return found.pk;
    });
}

describe("/application/o/<slug>/.well-known/openid-configuration", () => {
    it("serves the discovery document without authentication", async () => {
        const kp = (await api.get(`/crypto/certificatekeypairs/?name=${encodeURIComponent("authentik Self-signed Certificate")}`)).body.results[0];
        const p = (
            await api.post(
                "/providers/oauth2/",
                await providerBody(api, {
                    property_mappings: await scopes("openid", "email", "profile"),
                    signing_key: kp.pk,
                    grant_types: ["authorization_code", "refresh_token"],
                }),
            )
        ).body;
        await api.post("/core/applications/", { name: "Rediflow", slug: "rediflow", provider: p.pk });
        const res = await anonymous.request("GET", "/application/o/rediflow/.well-known/openid-configuration");
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toContain("application/json");
        const base = `${ak.url}/application/o`;
        expect(res.body).toMatchObject({
            issuer: `${base}/rediflow/`,
            authorization_endpoint: `${base}/authorize/`,
            token_endpoint: `${base}/token/`,
            userinfo_endpoint: `${base}/userinfo/`,
            end_session_endpoint: `${base}/rediflow/end-session/`,
            introspection_endpoint: `${base}/introspect/`,
            revocation_endpoint: `${base}/revoke/`,
            device_authorization_endpoint: `${base}/device/`,
            jwks_uri: `${base}/rediflow/jwks/`,
            response_types_supported: ["code", "id_token", "id_token token", "code token", "code id_token", "code id_token token"],
            response_modes_supported: ["query", "fragment", "form_post"],
            id_token_signing_alg_values_supported: ["RS256"],
            subject_types_supported: ["public"],
            token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
            acr_values_supported: ["goauthentik.io/providers/oauth2/default"],
            request_parameter_supported: false,
            claims_parameter_supported: false,
            code_challenge_methods_supported: ["plain", "S256"],
        });
        expect(res.body.scopes_supported).toEqual(["openid", "email", "profile"]);
        // 2026.8 lists the provider's own grant types
        expect(res.body.grant_types_supported).toEqual(["authorization_code", "refresh_token"]);
        expect(res.body.claims_supported).toEqual(
            expect.arrayContaining(["sub", "iss", "email", "email_verified", "name", "preferred_username", "groups"]),
        );
    });

    it("advertises openid even without mappings, HS256 without signing key, and the root issuer in global mode", async () => {
        const p = (await api.post("/providers/oauth2/", await providerBody(api, { issuer_mode: "global" }))).body;
        await api.post("/core/applications/", { name: "A", slug: "a", provider: p.pk });
        const res = await anonymous.request("GET", "/application/o/a/.well-known/openid-configuration");
        expect(res.body.issuer).toBe(`${ak.url}/`);
        expect(res.body.scopes_supported).toEqual(["openid"]);
        expect(res.body.id_token_signing_alg_values_supported).toEqual(["HS256"]);
    });

    it("uses the forwarded scheme for the issuer", async () => {
        const p = (await api.post("/providers/oauth2/", await providerBody(api))).body;
        await api.post("/core/applications/", { name: "A", slug: "a", provider: p.pk });
        const res = await anonymous.request("GET", "/application/o/a/.well-known/openid-configuration", undefined, {
            "X-Forwarded-Proto": "https",
        });
        expect(res.body.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/application\/o\/a\/$/);
    });

    it("404s an unknown slug and an application without provider", async () => {
        expect((await anonymous.request("GET", "/application/o/nope/.well-known/openid-configuration")).status).toBe(404);
        await api.post("/core/applications/", { name: "Bare", slug: "bare" });
        const bare = await anonymous.request("GET", "/application/o/bare/.well-known/openid-configuration");
        expect(bare.status).toBe(404);
        expect(bare.text).toContain("Not Found");
    });
});

describe("/application/o/<slug>/jwks/", () => {
    it("publishes the signing key", async () => {
        const kp = (await api.get(`/crypto/certificatekeypairs/?name=${encodeURIComponent("authentik Self-signed Certificate")}`)).body.results[0];
        const p = (await api.post("/providers/oauth2/", await providerBody(api, { signing_key: kp.pk }))).body;
        await api.post("/core/applications/", { name: "A", slug: "a", provider: p.pk });
        const res = await anonymous.request("GET", "/application/o/a/jwks/");
        expect(res.status).toBe(200);
        expect(res.body.keys).toHaveLength(1);
        expect(res.body.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", e: "AQAB" });
        expect(res.body.keys[0].kid).toMatch(/^[0-9a-f]{32}$/);
    });

    it("is empty without signing key", async () => {
        const p = (await api.post("/providers/oauth2/", await providerBody(api))).body;
        await api.post("/core/applications/", { name: "A", slug: "a", provider: p.pk });
        expect((await anonymous.request("GET", "/application/o/a/jwks/")).body).toEqual({ keys: [] });
    });
});
