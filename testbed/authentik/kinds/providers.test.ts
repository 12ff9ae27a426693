import { describe, expect, it } from "vitest";
import { useEmulator } from "../fixture";
import { MISSING_UUID, flowPk, providerBody } from "../testing";

const ak = useEmulator();
const { api } = ak;

describe("POST /providers/oauth2/", () => {
    it("creates a provider with authentik's defaults and generated credentials", async () => {
        const res = await api.post("/providers/oauth2/", await providerBody(api));
        expect(res.status).toBe(201);
        const p = res.body;
        expect(typeof p.pk).toBe("number");
        expect(p.client_id).toMatch(/^[A-Za-z0-9]{40}$/);
        expect(p.client_secret).toMatch(/^[A-Za-z0-9]{128}$/);
        expect(p).toMatchObject({
            client_type: "confidential",
            access_code_validity: "minutes=1",
            access_token_validity: "hours=1",
            refresh_token_validity: "days=30",
            refresh_token_threshold: "seconds=0",
            include_claims_in_id_token: true,
            sub_mode: "hashed_user_id",
            issuer_mode: "per_provider",
            logout_method: "backchannel",
            logout_uri: "",
            grant_types: [],
            signing_key: null,
            encryption_key: null,
            authentication_flow: null,
            property_mappings: [],
            component: "ak-provider-oauth2-form",
            meta_model_name: "authentik_providers_oauth2.oauth2provider",
            verbose_name: "OAuth2/OpenID Provider",
            assigned_application_slug: null,
            redirect_uris: [
                { matching_mode: "strict", url: "https://app.example.com/oauth/callback", redirect_uri_type: "authorization" },
            ],
        });
        const again = await api.post("/providers/oauth2/", await providerBody(api, { name: "second" }));
        expect(again.body.client_id).not.toBe(p.client_id);
        expect(again.body.pk).toBe(p.pk + 1);
    });

    it("keeps a client id and secret given by the client", async () => {
        const res = await api.post("/providers/oauth2/", await providerBody(api, { client_id: "my-client", client_secret: "s3cret" }));
        expect(res.status).toBe(201);
        expect(res.body.client_id).toBe("my-client");
        expect(res.body.client_secret).toBe("s3cret");
    });

    it("rejects missing required fields", async () => {
        const res = await api.post("/providers/oauth2/", {});
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
            name: ["This field is required."],
            authorization_flow: ["This field is required."],
            invalidation_flow: ["This field is required."],
            redirect_uris: ["This field is required."],
        });
    });

    it("rejects wrong types with DRF's messages", async () => {
        const res = await api.post(
            "/providers/oauth2/",
            await providerBody(api, {
                name: 5,
                include_claims_in_id_token: "yes",
                authorization_flow: 7,
                property_mappings: "openid",
                redirect_uris: [{ matching_mode: "strict", url: "https://x" }, "https://y"],
            }),
        );
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
            name: ["Not a valid string."],
            include_claims_in_id_token: ["Must be a valid boolean."],
            authorization_flow: ["Incorrect type. Expected pk value, received int."],
            property_mappings: ['Expected a list of items but got type "str".'],
            redirect_uris: [{}, ["Invalid data. Expected a dictionary, but got str."]],
        });
    });

    it("rejects invalid enum values", async () => {
        const res = await api.post(
            "/providers/oauth2/",
            await providerBody(api, {
                client_type: "secret",
                sub_mode: "email",
                grant_types: ["authorization_code", "magic"],
                redirect_uris: [{ matching_mode: "fuzzy", url: "https://x" }],
            }),
        );
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
            client_type: ['"secret" is not a valid choice.'],
            sub_mode: ['"email" is not a valid choice.'],
            grant_types: { "1": ['"magic" is not a valid choice.'] },
            redirect_uris: [{ matching_mode: ['"fuzzy" is not a valid choice.'] }],
        });
    });

    it("rejects null for the required flows and blank names", async () => {
        const res = await api.post("/providers/oauth2/", await providerBody(api, { authorization_flow: null, name: "" }));
        expect(res.body).toEqual({ authorization_flow: ["This field may not be null."], name: ["This field may not be blank."] });
    });

    it("rejects references to objects that do not exist", async () => {
        const res = await api.post(
            "/providers/oauth2/",
            await providerBody(api, {
                invalidation_flow: MISSING_UUID,
                signing_key: MISSING_UUID,
                property_mappings: [MISSING_UUID],
                jwt_federation_providers: [99],
                authentication_flow: "not-a-uuid",
            }),
        );
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
            invalidation_flow: [`Invalid pk "${MISSING_UUID}" - object does not exist.`],
            signing_key: [`Invalid pk "${MISSING_UUID}" - object does not exist.`],
            property_mappings: [`Invalid pk "${MISSING_UUID}" - object does not exist.`],
            jwt_federation_providers: ['Invalid pk "99" - object does not exist.'],
            authentication_flow: ["“not-a-uuid” is not a valid UUID."],
        });
    });

    it("enforces unique name and unique client_id", async () => {
        await api.post("/providers/oauth2/", await providerBody(api, { client_id: "shared" }));
        const res = await api.post("/providers/oauth2/", await providerBody(api, { client_id: "shared" }));
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
            name: ["provider with this name already exists."],
            client_id: ["OAuth2/OpenID Provider with this Client ID already exists."],
        });
    });

    it("validates the validity strings and regex redirect URIs", async () => {
        const res = await api.post(
            "/providers/oauth2/",
            await providerBody(api, {
                access_token_validity: "forever",
                refresh_token_validity: "years=1",
                access_code_validity: "minutes=x",
                redirect_uris: [{ matching_mode: "regex", url: "https://(unclosed" }],
            }),
        );
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
            access_token_validity: ["forever is not in the correct format of 'hours=3;minutes=1'."],
            refresh_token_validity: ["years=1 is not in the correct format of 'hours=3;minutes=1'."],
            access_code_validity: ["minutes=x is not in the correct format of 'hours=3;minutes=1'."],
            redirect_uris: ["Invalid Regex Pattern: https://(unclosed"],
        });
        const ok = await api.post("/providers/oauth2/", await providerBody(api, { access_token_validity: "hours=2;minutes=30" }));
        expect(ok.status).toBe(201);
    });

    it("validates logout_uri as an http(s) URL", async () => {
        for (const bad of ["not a url", "/relative/logout", "javascript:alert(1)"]) {
            const res = await api.post("/providers/oauth2/", await providerBody(api, { logout_uri: bad }));
            expect(res.body).toEqual({ logout_uri: ["Enter a valid URL."] });
        }
        const ok = await api.post(
            "/providers/oauth2/",
            await providerBody(api, { logout_uri: "https://app.example.com/logout", logout_method: "frontchannel" }),
        );
        expect(ok.status).toBe(201);
        expect(ok.body).toMatchObject({ logout_uri: "https://app.example.com/logout", logout_method: "frontchannel" });
    });
});

describe("GET/PUT/PATCH/DELETE /providers/oauth2/{id}/", () => {
    it("retrieves by integer id and 404s with the model name", async () => {
        const created = (await api.post("/providers/oauth2/", await providerBody(api))).body;
        expect((await api.get(`/providers/oauth2/${created.pk}/`)).body).toEqual(created);
        const missing = await api.get("/providers/oauth2/999/");
        expect(missing.status).toBe(404);
        expect(missing.body).toEqual({ detail: "No OAuth2Provider matches the given query." });
    });

    it("PUT requires the required fields, PATCH does not", async () => {
        const created = (await api.post("/providers/oauth2/", await providerBody(api))).body;
        const put = await api.put(`/providers/oauth2/${created.pk}/`, { name: "renamed" });
        expect(put.status).toBe(400);
        expect(put.body).toEqual({
            authorization_flow: ["This field is required."],
            invalidation_flow: ["This field is required."],
            redirect_uris: ["This field is required."],
        });
        const patch = await api.patch(`/providers/oauth2/${created.pk}/`, { name: "renamed" });
        expect(patch.status).toBe(200);
        expect(patch.body).toEqual({ ...created, name: "renamed" });
    });

    it("PUT keeps optional fields it does not send (DRF update sets only given fields)", async () => {
        const created = (await api.post("/providers/oauth2/", await providerBody(api, { sub_mode: "user_email" }))).body;
        const body = await providerBody(api, { name: "full" });
        const put = await api.put(`/providers/oauth2/${created.pk}/`, body);
        expect(put.status).toBe(200);
        expect(put.body.client_secret).toBe(created.client_secret);
        expect(put.body.sub_mode).toBe("user_email");
        expect(put.body.name).toBe("full");
    });

    it("PATCH can change flows, clear the authentication flow and keep the name unique against others only", async () => {
        const created = (await api.post("/providers/oauth2/", await providerBody(api))).body;
        const explicit = await flowPk(api, "default-provider-authorization-explicit-consent");
        const auth = await flowPk(api, "default-authentication-flow");
        const patched = await api.patch(`/providers/oauth2/${created.pk}/`, {
            authorization_flow: explicit,
            authentication_flow: auth,
            name: created.name,
        });
        expect(patched.status).toBe(200);
        expect(patched.body.authorization_flow).toBe(explicit);
        const cleared = await api.patch(`/providers/oauth2/${created.pk}/`, { authentication_flow: null });
        expect(cleared.body.authentication_flow).toBeNull();
    });

    it("DELETE answers 204 and the provider is gone", async () => {
        const created = (await api.post("/providers/oauth2/", await providerBody(api))).body;
        const del = await api.delete(`/providers/oauth2/${created.pk}/`);
        expect(del.status).toBe(204);
        expect(del.text).toBe("");
        expect((await api.get(`/providers/oauth2/${created.pk}/`)).status).toBe(404);
        expect((await api.delete(`/providers/oauth2/${created.pk}/`)).status).toBe(404);
    });
});

describe("GET /providers/oauth2/ filters", () => {
    it("filters by name, client_id, authorization_flow and searches by name", async () => {
        const a = (await api.post("/providers/oauth2/", await providerBody(api, { name: "alpha", client_id: "cid-a" }))).body;
        const explicit = await flowPk(api, "default-provider-authorization-explicit-consent");
        await api.post("/providers/oauth2/", await providerBody(api, { name: "beta", authorization_flow: explicit }));
        const names = async (q: string) =>
            ((await api.get(`/providers/oauth2/${q}`)).body.results as Array<{ name: string }>).map((p) => p.name);
        expect(await names("")).toEqual(["alpha", "beta"]);
        expect(await names("?name=beta")).toEqual(["beta"]);
        expect(await names("?client_id=cid-a")).toEqual(["alpha"]);
        expect(await names(`?authorization_flow=${explicit}`)).toEqual(["beta"]);
        expect(await names("?search=ALP")).toEqual(["alpha"]);
        expect(await names("?ordering=-name")).toEqual(["beta", "alpha"]);
        expect(a.name).toBe("alpha");
    });

    it("rejects an invalid choice or unknown flow in filters with django-filter's messages", async () => {
        const bad = await api.get("/providers/oauth2/?client_type=secret");
        expect(bad.status).toBe(400);
        expect(bad.body).toEqual({ client_type: ["Select a valid choice. secret is not one of the available choices."] });
        const flow = await api.get(`/providers/oauth2/?authorization_flow=${MISSING_UUID}`);
        expect(flow.body).toEqual({
            authorization_flow: ["Select a valid choice. That choice is not one of the available choices."],
        });
    });
});

describe("GET /providers/oauth2/{id}/setup_urls/", () => {
    it("lists the URLs of the provider's application", async () => {
        const p = (await api.post("/providers/oauth2/", await providerBody(api))).body;
        await api.post("/core/applications/", { name: "Rediflow", slug: "rediflow", provider: p.pk });
        const res = await api.get(`/providers/oauth2/${p.pk}/setup_urls/`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
            issuer: `${ak.url}/application/o/rediflow/`,
            authorize: `${ak.url}/application/o/authorize/`,
            token: `${ak.url}/application/o/token/`,
            user_info: `${ak.url}/application/o/userinfo/`,
            provider_info: `${ak.url}/application/o/rediflow/.well-known/openid-configuration`,
            logout: `${ak.url}/application/o/rediflow/end-session/`,
            jwks: `${ak.url}/application/o/rediflow/jwks/`,
            dcr_registration: null,
        });
    });

    it("404s when the provider has no application", async () => {
        const p = (await api.post("/providers/oauth2/", await providerBody(api))).body;
        expect((await api.get(`/providers/oauth2/${p.pk}/setup_urls/`)).status).toBe(404);
        expect((await api.get("/providers/oauth2/999/setup_urls/")).status).toBe(404);
    });
});
