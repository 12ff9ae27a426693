/**
 * The endpoints a client calls with a token (authentik/providers/oauth2/views/userinfo.py, introspection.py,
 * token_revoke.py, utils.py protected_resource_view):
 * - userinfo (GET/POST, Bearer): `sub`, then the claims of the provider's mappings in the token's scopes (deep
 *   merged, lists concatenated), then `nonce`; a bad token is 401 / 403 with an empty body and WWW-Authenticate;
 * - introspect (POST, client id + secret): the token's ID-token claims with `active`, `scope`, `client_id`, or just
 *   `{"active": false}`;
 * - revoke (POST, client id + secret): deletes an access or refresh token, 200 `{}` also for unknown tokens,
 *   401 invalid_client for a wrong client.
 */
import { getClaims } from "../expressions/claims";
import type { RequestContext } from "../context";
import type { HttpOut } from "../http";
import { BEARER_ERRORS, TokenError, type BearerErrorCode } from "./errors";
import { idTokenDict } from "./idToken";
import { isExpired, type AccessToken, type RefreshToken } from "./store";
import { authenticateProvider, corsAllow, extractAccessToken, httpRequestOf, tokenResponse } from "./util";

function bearerError(code: BearerErrorCode): HttpOut {
    const [description, status] = BEARER_ERRORS[code];
    return {
        status,
        body: "",
        type: "text/html; charset=utf-8",
        headers: { "WWW-Authenticate": `error="${code}", error_description="${description}"` },
    };
}

/** protected_resource_view([SCOPE_OPENID]) */
function protectedToken(ctx: RequestContext): AccessToken | HttpOut {
    const raw = extractAccessToken(ctx.req);
    if (!raw) return bearerError("invalid_token");
    ctx.stores.tokens.prune(ctx.db);
    const token = ctx.stores.tokens.accessTokens.get(raw);
    if (!token) return bearerError("invalid_token");
    if (isExpired(token)) return bearerError("invalid_token");
    if (!token.scope.includes("openid")) return bearerError("insufficient_scope");
    return token;
}

export async function userinfoView(ctx: RequestContext): Promise<HttpOut> {
    if (ctx.req.method === "OPTIONS") return corsAllow(ctx.req, tokenResponse(200, {}), undefined);
    const token = protectedToken(ctx);
    if (!("token" in token)) return token;
    const provider = ctx.db.providers.get(token.providerPk)!;
    const user = ctx.db.users.get(token.userPk)!;
    const claims: Record<string, unknown> = { sub: token.idToken.sub };
    const result = await getClaims({ db: ctx.db, user, provider, token: { scope: token.scope }, httpRequest: httpRequestOf(ctx) });
    Object.assign(claims, result.claims);
    if (token.idToken.nonce) claims.nonce = token.idToken.nonce;
    return corsAllow(ctx.req, tokenResponse(200, claims), provider);
}

function findToken(ctx: RequestContext, raw: string | null): AccessToken | RefreshToken | undefined {
    if (!raw) return undefined;
    const tokens = ctx.stores.tokens;
    tokens.prune(ctx.db);
    return tokens.accessTokens.get(raw) ?? tokens.refreshTokens.get(raw);
}

export function introspectView(ctx: RequestContext): HttpOut {
    const provider = authenticateProvider(ctx.db, ctx.req);
    const token = provider ? findToken(ctx, ctx.req.form.get("token")) : undefined;
    if (!provider || !token || isExpired(token)) return tokenResponse(200, { active: false });
    return tokenResponse(200, {
        ...idTokenDict(token.idToken),
        active: !isExpired(token) && !token.revoked,
        scope: token.scope.join(" "),
        client_id: provider.client_id,
    });
}

export function revokeView(ctx: RequestContext): HttpOut {
    const provider = authenticateProvider(ctx.db, ctx.req);
    if (!provider) {
        const error = new TokenError("invalid_client");
        return tokenResponse(401, error.body(ctx.requestId));
    }
    const raw = ctx.req.form.get("token");
    const token = findToken(ctx, raw);
    // "Token not found should return a HTTP 200"
    if (token && raw) {
        ctx.stores.tokens.accessTokens.delete(raw);
        ctx.stores.tokens.refreshTokens.delete(raw);
    }
    return tokenResponse(200, {});
}
