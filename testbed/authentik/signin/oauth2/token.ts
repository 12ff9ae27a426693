/**
 * POST /application/o/token/ (authentik/providers/oauth2/views/token.py TokenView): the client is looked up by
 * client_id (Basic auth or form), the request checked (tokenRequest.ts), and answered with
 * `{access_token, token_type: "Bearer", scope, expires_in, id_token}` — plus `refresh_token` (128 characters) when
 * the code carried offline_access. A refresh needs offline_access in its scope and cannot widen it; the refresh
 * token is rotated (the old one revoked) when refresh_token_threshold is 0 or it expires within the threshold.
 * Errors are 400 `{"error", "error_description", "request_id"}`.
 */
import type { ApplicationRecord, Db, ProviderRecord, UserRecord } from "../../core/db";
import { generateId, timestamp } from "../../core/fields";
import { newUserRecord } from "../../kinds/users";
import { applicationAccess } from "../policies/engine";
import type { RequestContext } from "../context";
import { timedeltaSeconds, timedeltaWholeSeconds } from "../duration";
import { TokenError } from "./errors";
import { accessTokenJwt, idTokenJwt, leftHalfHash, newIdToken, type GrantInfo, type IssueRequest } from "./idToken";
import type { AccessToken, RefreshToken } from "./store";
import { GRANT, parseTokenRequest, type ParsedTokenRequest } from "./tokenRequest";
import { corsAllow, extractClientAuth, httpRequestOf, TOKEN_TYPE, tokenResponse } from "./util";
import type { HttpOut } from "../http";

/** What an access token and a refresh token record alike: the grant they carry, until when, and their id_token. */
function tokenBase(provider: ProviderRecord, grant: Omit<GrantInfo, "expires">, expires: number, idToken: AccessToken["idToken"]) {
    return {
        providerPk: provider.pk,
        userPk: grant.user.pk,
        scope: [...grant.scope],
        authTime: grant.authTime,
        expires,
        sessionKey: grant.sessionKey,
        login: grant.login,
        idToken,
        revoked: false,
    };
}

async function issueAccessToken(ctx: RequestContext, provider: ProviderRecord, grant: Omit<GrantInfo, "expires">, nonce: string | null) {
    const issue: IssueRequest = { origin: ctx.req.origin, http: httpRequestOf(ctx) };
    const expires = Date.now() + timedeltaSeconds(provider.access_token_validity) * 1000;
    const idToken = await newIdToken(ctx.db, provider, { ...grant, expires }, issue);
    if (nonce) idToken.nonce = nonce;
    const token = await accessTokenJwt(ctx.db, provider, idToken, grant.scope);
    const record: AccessToken = { token, ...tokenBase(provider, grant, expires, idToken) };
    ctx.stores.tokens.accessTokens.set(token, record);
    return record;
}

async function issueRefreshToken(ctx: RequestContext, provider: ProviderRecord, grant: Omit<GrantInfo, "expires">, nonce: string | null, access: AccessToken) {
    const expires = Date.now() + timedeltaSeconds(provider.refresh_token_validity) * 1000;
    const idToken = await newIdToken(ctx.db, provider, { ...grant, expires }, { origin: ctx.req.origin, http: httpRequestOf(ctx) });
    if (nonce) idToken.nonce = nonce;
    idToken.at_hash = leftHalfHash(access.token);
    // RefreshToken.token default: generate_client_secret() (128 characters)
    const record: RefreshToken = { token: generateId(128), ...tokenBase(provider, grant, expires, idToken) };
    ctx.stores.tokens.refreshTokens.set(record.token, record);
    return record;
}

async function baseResponse(ctx: RequestContext, provider: ProviderRecord, access: AccessToken, idTokenExtra: { at_hash?: string } = {}) {
    return {
        access_token: access.token,
        token_type: TOKEN_TYPE,
        scope: access.scope.join(" "),
        expires_in: timedeltaWholeSeconds(provider.access_token_validity),
        id_token: await idTokenJwt(ctx.db, provider, { ...access.idToken, ...idTokenExtra }),
    };
}

/** create_code_response */
async function codeResponse(ctx: RequestContext, parsed: ParsedTokenRequest): Promise<Record<string, unknown>> {
    const code = parsed.code!;
    const provider = parsed.provider;
    const grant = { user: parsed.user!, scope: code.scope, authTime: code.authTime, sessionKey: code.sessionKey, login: code.login };
    const access = await issueAccessToken(ctx, provider, grant, code.nonce);
    const response: Record<string, unknown> = await baseResponse(ctx, provider, access);
    if (code.scope.includes("offline_access")) {
        response.refresh_token = (await issueRefreshToken(ctx, provider, grant, code.nonce, access)).token;
    }
    // "Delete old code"
    ctx.stores.tokens.codes.delete(code.code);
    return response;
}

/** create_refresh_response */
async function refreshResponse(ctx: RequestContext, parsed: ParsedTokenRequest): Promise<Record<string, unknown>> {
    const old = parsed.refreshToken!;
    const provider = parsed.provider;
    if (parsed.scope.some((s) => !old.scope.includes(s))) throw new TokenError("invalid_scope");
    if (!parsed.scope.includes("offline_access")) throw new TokenError("invalid_scope");
    // "Keep same scopes as previous token"
    const grant = { user: parsed.user!, scope: old.scope, authTime: old.authTime, sessionKey: old.sessionKey, login: old.login };
    const access = await issueAccessToken(ctx, provider, grant, null);
    // the refreshed ID token carries the new access token's at_hash (observed on 2026.8.3)
    const response: Record<string, unknown> = await baseResponse(ctx, provider, access, { at_hash: leftHalfHash(access.token) });
    const threshold = timedeltaSeconds(provider.refresh_token_threshold) * 1000;
    if (threshold === 0 || old.expires - Date.now() < threshold) {
        const fresh = await issueRefreshToken(ctx, provider, grant, old.idToken.nonce ?? null, access);
        // "Mark old token as revoked"
        old.revoked = true;
        response.refresh_token = fresh.token;
    }
    return response;
}

/** client_credentials.py: the provider's generated service account (app passwords and JWT assertions are not emulated) */
function clientCredentialsUser(db: Db, provider: ProviderRecord, app: ApplicationRecord): UserRecord {
    const username = `ak-${provider.name.slice(0, 128)}-client_credentials`;
    let user = [...db.users.values()].find((u) => u.username === username);
    const now = timestamp();
    if (!user) {
        user = { ...newUserRecord(now), pk: db.nextUserPk(), username };
        db.users.set(user.pk, user);
    }
    Object.assign(user, {
        attributes: { "goauthentik.io/user/generated": true },
        last_login: now,
        name: `Autogenerated user from application ${app.name} (client credentials)`,
        path: `goauthentik.io/apps/${app.slug}`,
        type: "service_account",
        last_updated: now,
    });
    return user;
}

async function clientCredentialsResponse(ctx: RequestContext, parsed: ParsedTokenRequest, secret: string) {
    const provider = parsed.provider;
    const form = ctx.req.form;
    if (provider.client_type === "confidential" && secret !== provider.client_secret) throw new TokenError("invalid_grant");
    if (form.get("client_assertion_type") || form.get("username") || form.get("password")) throw new TokenError("invalid_grant");
    const app = ctx.db.applicationOfProvider(provider.pk);
    if (!app) throw new TokenError("invalid_grant");
    const user = clientCredentialsUser(ctx.db, provider, app);
    if (!applicationAccess(ctx.db, app, user).passing) throw new TokenError("invalid_grant");
    const grant = { user, scope: parsed.scope, authTime: Date.now(), sessionKey: null, login: null };
    return baseResponse(ctx, provider, await issueAccessToken(ctx, provider, grant, null));
}

export async function tokenView(ctx: RequestContext): Promise<HttpOut> {
    let provider: ProviderRecord | undefined;
    let out: HttpOut;
    if (ctx.req.method === "OPTIONS") return corsAllow(ctx.req, tokenResponse(200, {}), undefined);
    try {
        const [clientId, secret] = extractClientAuth(ctx.req);
        provider = [...ctx.db.providers.values()].find((p) => p.client_id === clientId);
        if (!provider) throw new TokenError("invalid_client");
        const parsed = parseTokenRequest(ctx.db, ctx.stores.tokens, ctx.req, provider, secret);
        let body: Record<string, unknown>;
        if (parsed.grantType === GRANT.code) body = await codeResponse(ctx, parsed);
        else if (parsed.grantType === GRANT.refresh) body = await refreshResponse(ctx, parsed);
        else if (parsed.grantType === GRANT.clientCredentials || parsed.grantType === GRANT.password) body = await clientCredentialsResponse(ctx, parsed, secret);
        else throw new Error(`token endpoint: grant type ${parsed.grantType} is not emulated`);
        out = tokenResponse(200, body);
    } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        out = tokenResponse(400, error.body(ctx.requestId));
    }
    return corsAllow(ctx.req, out, provider);
}
