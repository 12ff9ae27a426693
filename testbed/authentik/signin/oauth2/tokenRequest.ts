/**
 * Parsing and checking a token request (authentik/providers/oauth2/token/router.py, base.py TokenRequest and
 * authorization_code.py / refresh_token.py / client_credentials.py), in authentik's order:
 * an unknown grant type is `unsupported_grant_type`; one the provider's grant_types do not list is `invalid_grant`
 * (cause grant_type_not_configured); a confidential client's secret is checked for the code and refresh grants
 * (`invalid_client`); the scope is narrowed to the provider's mappings; then the grant itself.
 */
import { createHash } from "node:crypto";
import type { Db, ProviderRecord, UserRecord } from "../../core/db";
import type { HttpIn } from "../http";
import { urlScheme } from "../pyurl";
import { TokenError } from "./errors";
import { FORBIDDEN_URI_SCHEMES, providerScopes, redirectUriMatches } from "./params";
import { isExpired, type AuthorizationCode, type RefreshToken, type TokenStore } from "./store";

export const GRANT = {
    code: "authorization_code",
    refresh: "refresh_token",
    clientCredentials: "client_credentials",
    password: "password",
    deviceCode: "urn:ietf:params:oauth:grant-type:device_code",
    tokenExchange: "urn:ietf:params:oauth:grant-type:token-exchange",
} as const;

const KNOWN_GRANTS: readonly string[] = Object.values(GRANT);

export interface ParsedTokenRequest {
    readonly provider: ProviderRecord;
    readonly grantType: string;
    readonly scope: string[];
    readonly code?: AuthorizationCode;
    readonly refreshToken?: RefreshToken;
    readonly user?: UserRecord;
}

/** is_all_vschar: VSCHAR = %x20-7E */
function isAllVschar(value: string): boolean {
    return /^[\x20-\x7e]*$/.test(value);
}

/** pkce_s256_challenge: base64url(sha256(verifier)) without padding */
function s256(verifier: string): string {
    return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

function grantUser(db: Db, grant: { providerPk: number; userPk: number }): UserRecord | undefined {
    return db.providers.has(grant.providerPk) ? db.users.get(grant.userPk) : undefined;
}

/** AuthorizationCodeTokenRequest.parse */
function parseCode(db: Db, tokens: TokenStore, req: HttpIn, provider: ProviderRecord): { code: AuthorizationCode; user: UserRecord } {
    const raw = req.form.get("code") ?? "";
    if (!raw) throw new TokenError("invalid_grant");
    // check_redirect_uri: against the provider's authorization redirect URIs (not the one the code was issued for)
    const redirectUri = req.form.get("redirect_uri") ?? "";
    if (!redirectUriMatches(provider, "authorization", redirectUri)) throw new TokenError("invalid_client");
    if (FORBIDDEN_URI_SCHEMES.includes(urlScheme(redirectUri))) throw new TokenError("invalid_request");
    const code = tokens.codes.get(raw);
    const user = code ? grantUser(db, code) : undefined;
    if (!code || !user) throw new TokenError("invalid_grant");
    if (isExpired(code)) throw new TokenError("invalid_grant");
    if (code.providerPk !== provider.pk) throw new TokenError("invalid_grant");
    const verifier = req.form.get("code_verifier");
    if (code.codeChallenge) {
        // "Authorization code had PKCE but we didn't get one"
        if (!verifier) throw new TokenError("invalid_grant");
        const computed = code.codeChallengeMethod === "S256" ? s256(verifier) : verifier;
        if (computed !== code.codeChallenge) throw new TokenError("invalid_grant");
    }
    // "Token request had a code_verifier but code did not have a code challenge. Prevent downgrade"
    if (!code.codeChallenge && verifier) throw new TokenError("invalid_grant");
    return { code, user };
}

/** RefreshTokenTokenRequest.parse */
function parseRefresh(db: Db, tokens: TokenStore, req: HttpIn, provider: ProviderRecord, scope: string[]) {
    const raw = req.form.get("refresh_token") ?? "";
    if (!raw) throw new TokenError("invalid_grant");
    const token = tokens.refreshTokens.get(raw);
    const user = token && token.providerPk === provider.pk ? grantUser(db, token) : undefined;
    if (!token || !user) throw new TokenError("invalid_grant");
    if (isExpired(token)) throw new TokenError("invalid_grant");
    // "Fallback to original token's scopes when none are given"
    const effective = scope.length === 0 ? [...token.scope] : scope;
    if (token.revoked) throw new TokenError("invalid_grant");
    return { refreshToken: token, user, scope: effective };
}

export function parseTokenRequest(db: Db, tokens: TokenStore, req: HttpIn, provider: ProviderRecord, clientSecret: string): ParsedTokenRequest {
    tokens.prune(db);
    const grantType = req.form.get("grant_type") ?? "";
    if (!KNOWN_GRANTS.includes(grantType)) throw new TokenError("unsupported_grant_type");
    if (!provider.grant_types.includes(grantType)) throw new TokenError("invalid_grant", "grant_type_not_configured");
    if (([GRANT.code, GRANT.refresh, GRANT.deviceCode, GRANT.tokenExchange] as string[]).includes(grantType)) {
        if (provider.client_type === "confidential" && (!isAllVschar(clientSecret) || clientSecret !== provider.client_secret)) {
            throw new TokenError("invalid_client", "invalid_secret");
        }
    }
    // check_scopes: "Application requested scopes not configured, setting to overlap"
    const allowed = providerScopes(db, provider);
    const scope = [...new Set((req.form.get("scope") ?? "").split(/\s+/).filter(Boolean))].filter((s) => allowed.has(s));
    switch (grantType) {
        case GRANT.code: {
            const { code, user } = parseCode(db, tokens, req, provider);
            return { provider, grantType, scope, code, user };
        }
        case GRANT.refresh: {
            const parsed = parseRefresh(db, tokens, req, provider, scope);
            return { provider, grantType, ...parsed };
        }
        case GRANT.clientCredentials:
        case GRANT.password:
            return { provider, grantType, scope };
        default:
            return { provider, grantType, scope };
    }
}
