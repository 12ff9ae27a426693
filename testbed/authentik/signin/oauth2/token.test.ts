/**
 * /application/o/token/ against authentik/providers/oauth2/views/token.py (TokenView, create_code_response,
 * create_refresh_response) and token/base.py, authorization_code.py, refresh_token.py (client authentication,
 * grant_type_not_configured, PKCE, code reuse and expiry, refresh rotation); tokens as id_token.py and models.py
 * (encode, kid) make them.
 */
import { createHash, randomBytes } from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { useEmulator } from "../../fixture";
import { HeadlessBrowser } from "../testing/browser";
import { authorizeUrl, createApp, createUser, REDIRECT_URI } from "../testing/setup";

const ak = useEmulator();
const { api } = ak;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function codeFor(provider: Json, params: Record<string, string> = {}, username = "alice"): Promise<string> {
    if (!(await api.get(`/core/users/?username=${username}`)).body.results.length) await createUser(api, { username, password: "pw", email: `${username}@example.com` });
    const b = new HeadlessBrowser(ak.url);
    await b.login({ username, password: "pw" });
    const res = await b.request(authorizeUrl(provider, params));
    const code = new URL(res.headers.get("location") as string).searchParams.get("code");
    if (!code) throw new Error(`no code: ${res.status} ${res.headers.get("location")}`);
    return code;
}

async function token(form: Record<string, string>, headers: Record<string, string> = {}) {
    const res = await fetch(`${ak.url}/application/o/token/`, { method: "POST", headers, body: new URLSearchParams(form) });
    return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}

const codeGrant = (provider: Json, code: string, extra: Record<string, string> = {}) => ({
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT_URI,
    client_id: provider.client_id,
    client_secret: provider.client_secret,
    ...extra,
});

const INVALID_GRANT =
    "The provided authorization grant or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client";

describe("token: client authentication", () => {
    it("accepts client_secret_basic and client_secret_post, and refuses a wrong secret with invalid_client", async () => {
        const { provider } = await createApp(api);
        const basic = Buffer.from(`${provider.client_id}:${provider.client_secret}`).toString("base64");
        const { client_id: _id, client_secret: _secret, ...withoutClient } = codeGrant(provider, await codeFor(provider));
        const viaBasic = await token(withoutClient, { Authorization: `Basic ${basic}` });
        expect(viaBasic.status).toBe(200);
        expect(viaBasic.headers.get("cache-control")).toBe("no-store");
        expect(viaBasic.headers.get("pragma")).toBe("no-cache");
        expect(Object.keys(viaBasic.body).sort()).toEqual(["access_token", "expires_in", "id_token", "scope", "token_type"]);
        expect(viaBasic.body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "openid email profile" });
        expect((await token(codeGrant(provider, await codeFor(provider)))).status).toBe(200);
        const wrong = await token(codeGrant(provider, await codeFor(provider), { client_secret: "nope" }));
        expect(wrong.status).toBe(400);
        expect(wrong.body).toEqual({
            error: "invalid_client",
            error_description:
                "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)",
            request_id: wrong.headers.get("x-authentik-id"),
        });
        expect((await token({ grant_type: "authorization_code", client_id: "unknown" })).body.error).toBe("invalid_client");
    });

    it("refuses grant types the provider does not list (invalid_grant) and unknown ones (unsupported_grant_type)", async () => {
        const { provider } = await createApp(api);
        const client = { client_id: provider.client_id, client_secret: provider.client_secret };
        const cc = await token({ grant_type: "client_credentials", ...client });
        expect(cc).toMatchObject({ status: 400, body: { error: "invalid_grant", error_description: INVALID_GRANT } });
        expect((await token({ grant_type: "password", username: "x", password: "y", ...client })).body.error).toBe("invalid_grant");
        expect((await token({ grant_type: "banana", ...client })).body.error).toBe("unsupported_grant_type");
    });

    it("issues client_credentials tokens for the provider's generated service account once configured", async () => {
        const { provider } = await createApp(api, { provider: { grant_types: ["client_credentials"] } });
        const res = await token({ grant_type: "client_credentials", client_id: provider.client_id, client_secret: provider.client_secret, scope: "openid" });
        expect(res.status).toBe(200);
        expect(res.body).not.toHaveProperty("refresh_token");
        const user = (await api.get(`/core/users/?username=${encodeURIComponent(`ak-${provider.name}-client_credentials`)}`)).body.results[0];
        expect(user).toMatchObject({ type: "service_account", path: "goauthentik.io/apps/portal" });
        expect((await token({ grant_type: "client_credentials", client_id: provider.client_id, client_secret: "x" })).body.error).toBe("invalid_grant");
    });
});

describe("token: authorization_code", () => {
    it("verifies PKCE S256 and refuses a mismatch, a missing verifier and a verifier without challenge", async () => {
        const { provider } = await createApp(api);
        const verifier = randomBytes(32).toString("base64url");
        const challenge = createHash("sha256").update(verifier).digest("base64url");
        const pkce = { code_challenge: challenge, code_challenge_method: "S256" };
        expect((await token(codeGrant(provider, await codeFor(provider, pkce), { code_verifier: verifier }))).status).toBe(200);
        expect((await token(codeGrant(provider, await codeFor(provider, pkce), { code_verifier: `${verifier}x` }))).body.error).toBe("invalid_grant");
        expect((await token(codeGrant(provider, await codeFor(provider, pkce)))).body.error).toBe("invalid_grant");
        expect((await token(codeGrant(provider, await codeFor(provider), { code_verifier: verifier }))).body.error).toBe("invalid_grant");
        // plain: the verifier is the challenge
        expect((await token(codeGrant(provider, await codeFor(provider, { code_challenge: "plain-secret" }), { code_verifier: "plain-secret" }))).status).toBe(200);
    });

    it("refuses a used code, an expired code and a redirect_uri the provider does not allow", async () => {
        const { provider } = await createApp(api, { provider: { access_code_validity: "milliseconds=300" } });
        const code = await codeFor(provider);
        expect((await token(codeGrant(provider, code))).status).toBe(200);
        expect((await token(codeGrant(provider, code))).body).toMatchObject({ error: "invalid_grant" });
        const late = await codeFor(provider);
        await new Promise((r) => setTimeout(r, 400));
        expect((await token(codeGrant(provider, late))).body.error).toBe("invalid_grant");
        const other = await codeFor(provider);
        expect((await token(codeGrant(provider, other, { redirect_uri: "https://elsewhere.example.com/cb" }))).body.error).toBe("invalid_client");
    });

    it("signs the id_token with the provider's key (kid as in JWKS) and sets sub per sub_mode", async () => {
        const { provider } = await createApp(api);
        const res = await token(codeGrant(provider, await codeFor(provider, { nonce: "n0nce" })));
        const header = decodeProtectedHeader(res.body.id_token);
        const jwks = (await (await fetch(`${ak.url}/application/o/portal/jwks/`)).json()) as JSONWebKeySet;
        expect(header).toEqual({ alg: "RS256", kid: jwks.keys[0]?.kid, typ: "JWT" });
        const { payload } = await jwtVerify(res.body.id_token, createLocalJWKSet(jwks), {
            issuer: `${ak.url}/application/o/portal/`,
            audience: provider.client_id,
        });
        const user = (await api.get("/core/users/?username=alice")).body.results[0];
        expect(payload).toMatchObject({
            sub: user.uid,
            acr: "goauthentik.io/providers/oauth2/default",
            amr: ["pwd"],
            nonce: "n0nce",
            email: "alice@example.com",
            email_verified: false,
            preferred_username: "alice",
        });
        expect(payload.sid).toMatch(/^[0-9a-f]{64}$/);
        expect((payload.exp as number) - (payload.iat as number)).toBe(3600);
        const access = await jwtVerify(res.body.access_token, createLocalJWKSet(jwks));
        expect(access.payload).toMatchObject({ azp: provider.client_id, scope: "openid email profile", sub: user.uid });

        const subs: Record<string, string> = { user_id: String(user.pk), user_uuid: user.uuid, user_username: "alice", user_email: "alice@example.com" };
        for (const [mode, expected] of Object.entries(subs)) {
            await api.patch(`/providers/oauth2/${provider.pk}/`, { sub_mode: mode, include_claims_in_id_token: false });
            const issued = await token(codeGrant(provider, await codeFor(provider)));
            const claims = (await jwtVerify(issued.body.id_token, createLocalJWKSet(jwks))).payload;
            expect(claims.sub).toBe(expected);
            expect(claims).not.toHaveProperty("email");
        }
    });
});

describe("token: refresh_token", () => {
    it("comes only with offline_access, rotates, revokes the old one and keeps the old access token", async () => {
        const { provider } = await createApp(api);
        const without = await token(codeGrant(provider, await codeFor(provider)));
        expect(without.body).not.toHaveProperty("refresh_token");
        const first = await token(codeGrant(provider, await codeFor(provider, { scope: "openid profile offline_access" })));
        expect(first.body.refresh_token).toMatch(/^[A-Za-z0-9]{128}$/);
        const client = { client_id: provider.client_id, client_secret: provider.client_secret };
        const refreshed = await token({ grant_type: "refresh_token", refresh_token: first.body.refresh_token, ...client });
        expect(refreshed.status).toBe(200);
        expect(refreshed.body.scope).toBe("openid profile offline_access");
        expect(refreshed.body.refresh_token).not.toBe(first.body.refresh_token);
        // the old refresh token is revoked, the old access token still works until it expires
        expect((await token({ grant_type: "refresh_token", refresh_token: first.body.refresh_token, ...client })).body.error).toBe("invalid_grant");
        const info = await fetch(`${ak.url}/application/o/userinfo/`, { headers: { Authorization: `Bearer ${first.body.access_token}` } });
        expect(info.status).toBe(200);
        // no widening, and offline_access must stay
        const narrow = await token({ grant_type: "refresh_token", refresh_token: refreshed.body.refresh_token, scope: "openid", ...client });
        expect(narrow.body.error).toBe("invalid_scope");
        expect((await token({ grant_type: "refresh_token", refresh_token: "garbage", ...client })).body.error).toBe("invalid_grant");
    });

    it("keeps the refresh token when it is valid for longer than refresh_token_threshold", async () => {
        const { provider } = await createApp(api, { provider: { refresh_token_threshold: "days=1" } });
        const first = await token(codeGrant(provider, await codeFor(provider, { scope: "openid offline_access" })));
        const again = await token({ grant_type: "refresh_token", refresh_token: first.body.refresh_token, client_id: provider.client_id, client_secret: provider.client_secret });
        expect(again.status).toBe(200);
        expect(again.body).not.toHaveProperty("refresh_token");
        const third = await token({ grant_type: "refresh_token", refresh_token: first.body.refresh_token, client_id: provider.client_id, client_secret: provider.client_secret });
        expect(third.status).toBe(200);
    });
});
