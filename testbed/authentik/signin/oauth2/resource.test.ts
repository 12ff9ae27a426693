/**
 * userinfo (authentik/providers/oauth2/views/userinfo.py get_claims: mappings in the token's scopes, ordered by
 * scope name and deep-merged — lists are concatenated), introspection.py, token_revoke.py and end_session.py.
 */
import { describe, expect, it } from "vitest";
import { useEmulator } from "../../fixture";
import { HeadlessBrowser } from "../testing/browser";
import { authorizeUrl, createApp, createUser, REDIRECT_URI, scopePks } from "../testing/setup";

const ak = useEmulator();
const { api } = ak;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function tokensFor(provider: Json, scope: string, user = { username: "alice", password: "pw" }) {
    const b = new HeadlessBrowser(ak.url);
    await b.login(user);
    const res = await b.request(authorizeUrl(provider, { scope }));
    const code = new URL(res.headers.get("location") as string).searchParams.get("code") as string;
    const token = await fetch(`${ak.url}/application/o/token/`, {
        method: "POST",
        body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: provider.client_id, client_secret: provider.client_secret }),
    });
    return { browser: b, tokens: (await token.json()) as Json };
}

function form(provider: Json, values: Record<string, string>, secret = provider.client_secret) {
    return { method: "POST", body: new URLSearchParams({ client_id: provider.client_id, client_secret: secret, ...values }) };
}

describe("userinfo", () => {
    it("merges the claims of profile and a custom groups mapping: the groups lists are concatenated", async () => {
        const staff = (await api.post("/core/groups/", { name: "staff" })).body;
        await createUser(api, { username: "alice", password: "pw", name: "Alice A", groups: [staff.pk] });
        const custom = await api.post("/propertymappings/provider/scope/", {
            name: "Roles as groups",
            scope_name: "groups",
            expression: 'return {"groups": ["role:" + group.name for group in request.user.ak_groups.all()]}',
        });
        expect(custom.status).toBe(201);
        const { provider } = await createApp(api, {
            provider: { property_mappings: [...(await scopePks(api, "openid", "email", "profile")), custom.body.pk] },
        });
        const { tokens } = await tokensFor(provider, "openid email profile groups");
        const res = await fetch(`${ak.url}/application/o/userinfo/`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
        expect(res.status).toBe(200);
        const user = (await api.get("/core/users/?username=alice")).body.results[0];
        // ordered by scope_name: email, groups, profile; always_merger appends lists
        expect(await res.json()).toEqual({
            sub: user.uid,
            email: "alice@example.com",
            email_verified: false,
            groups: ["role:staff", "staff"],
            name: "Alice A",
            given_name: "Alice A",
            preferred_username: "alice",
            nickname: "alice",
        });
        // POST with the token in the form works the same
        const post = await fetch(`${ak.url}/application/o/userinfo/`, { method: "POST", body: new URLSearchParams({ access_token: tokens.access_token }) });
        expect(post.status).toBe(200);
    });

    it("answers 401 with WWW-Authenticate for a bad token, 403 without the openid scope", async () => {
        await createUser(api, { username: "alice", password: "pw" });
        const bad = await fetch(`${ak.url}/application/o/userinfo/`, { headers: { Authorization: "Bearer nope" } });
        expect(bad.status).toBe(401);
        expect(await bad.text()).toBe("");
        expect(bad.headers.get("www-authenticate")).toBe(
            'error="invalid_token", error_description="The access token provided is expired, revoked, malformed, or invalid for other reasons"',
        );
        const { provider } = await createApp(api);
        const { tokens } = await tokensFor(provider, "email");
        const noOpenid = await fetch(`${ak.url}/application/o/userinfo/`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
        expect(noOpenid.status).toBe(403);
        expect(noOpenid.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    });
});

describe("introspect and revoke", () => {
    it("introspects access and refresh tokens for the authenticated client, and nothing else", async () => {
        await createUser(api, { username: "alice", password: "pw" });
        const { provider } = await createApp(api);
        const { tokens } = await tokensFor(provider, "openid offline_access");
        const access = (await (await fetch(`${ak.url}/application/o/introspect/`, form(provider, { token: tokens.access_token }))).json()) as Json;
        expect(access).toMatchObject({ active: true, scope: "openid offline_access", client_id: provider.client_id, acr: "goauthentik.io/providers/oauth2/default", amr: ["pwd"] });
        expect(access.auth_time).toEqual(expect.any(Number));
        const refresh = (await (await fetch(`${ak.url}/application/o/introspect/`, form(provider, { token: tokens.refresh_token }))).json()) as Json;
        expect(refresh.active).toBe(true);
        for (const [token, secret] of [[tokens.id_token, provider.client_secret], ["garbage", provider.client_secret], [tokens.access_token, "wrong"]]) {
            const res = await fetch(`${ak.url}/application/o/introspect/`, form(provider, { token }, secret));
            expect(res.status).toBe(200);
            expect(await res.json()).toEqual({ active: false });
        }
    });

    it("revokes: 200 {} also for unknown tokens, 401 invalid_client for a wrong secret", async () => {
        await createUser(api, { username: "alice", password: "pw" });
        const { provider } = await createApp(api);
        const { tokens } = await tokensFor(provider, "openid");
        const wrong = await fetch(`${ak.url}/application/o/revoke/`, form(provider, { token: tokens.access_token }, "wrong"));
        expect(wrong.status).toBe(401);
        expect(await wrong.json()).toMatchObject({ error: "invalid_client" });
        for (let i = 0; i < 2; i++) {
            const res = await fetch(`${ak.url}/application/o/revoke/`, form(provider, { token: tokens.access_token }));
            expect(res.status).toBe(200);
            expect(await res.json()).toEqual({});
        }
        expect((await fetch(`${ak.url}/application/o/revoke/`, form(provider, { token: "garbage" }))).status).toBe(200);
        expect((await fetch(`${ak.url}/application/o/userinfo/`, { headers: { Authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
        expect(await (await fetch(`${ak.url}/application/o/introspect/`, form(provider, { token: tokens.access_token }))).json()).toEqual({ active: false });
    });
});

describe("end-session", () => {
    const logoutUri = "https://app.example.com/signed-out";

    async function setup() {
        await createUser(api, { username: "alice", password: "pw" });
        const { provider } = await createApp(api, {
            provider: {
                redirect_uris: [
                    { matching_mode: "strict", url: REDIRECT_URI },
                    { matching_mode: "strict", url: logoutUri, redirect_uri_type: "logout" },
                ],
            },
        });
        const b = new HeadlessBrowser(ak.url);
        await b.login({ username: "alice", password: "pw" });
        return { provider, b };
    }

    it("runs the provider's invalidation flow and ends on the session-end stage; the session stays", async () => {
        const { b } = await setup();
        const res = await b.request("/application/o/portal/end-session/");
        expect(res.status).toBe(302);
        expect(res.headers.get("location")).toBe("/if/flow/default-provider-invalidation-flow/");
        const challenge = await (await b.request("/api/v3/flows/executor/default-provider-invalidation-flow/?query=")).json();
        expect(challenge).toMatchObject({
            component: "ak-stage-session-end",
            brand_name: "authentik",
            application_name: "App portal",
            application_launch_url: "https://app.example.com",
            invalidation_flow_url: "/if/flow/default-invalidation-flow/",
            pending_user: "alice",
            flow_info: { title: "You've logged out of App portal." },
        });
    });

    it("redirects to a logout-type post_logout_redirect_uri with state, and ignores an authorization-type one", async () => {
        const { b } = await setup();
        const end = await b.navigate(`/application/o/portal/end-session/?post_logout_redirect_uri=${encodeURIComponent(logoutUri)}&state=s%201`, () => undefined);
        expect(end.url).toBe(`${logoutUri}?state=s%201`);
        const ignored = await b.request(`/application/o/portal/end-session/?post_logout_redirect_uri=${encodeURIComponent(REDIRECT_URI)}`);
        const page = new URL(ignored.headers.get("location") as string, ak.url);
        const challenge = (await (await b.request(`/api/v3/flows/executor/default-provider-invalidation-flow/?query=${encodeURIComponent(page.search.slice(1))}`)).json()) as Json;
        expect(challenge.component).toBe("ak-stage-session-end");
    });

    it("sends an anonymous browser to sign in first", async () => {
        await createApp(api);
        const res = await fetch(`${ak.url}/application/o/portal/end-session/`, { redirect: "manual" });
        expect(res.status).toBe(302);
        expect(new URL(res.headers.get("location") as string, ak.url).pathname).toBe("/if/flow/default-authentication-flow/");
    });
});
