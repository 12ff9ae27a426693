/**
 * OAuthAuthorizationParams (authentik/providers/oauth2/views/authorize.py): the authorization request, checked in
 * authentik's order — response type (→ grant type), client_id, redirect_uri against the provider's
 * authorization-type redirect URIs (strict: equal; regex: fullmatch), grant type allowed by the provider's
 * grant_types, scope (narrowed to the scopes of the provider's mappings; all of them when none are asked for;
 * offline_access dropped unless a code is issued), nonce, PKCE method, the unsupported `request` parameter.
 */
import type { Db, ProviderRecord } from "../../core/db";
import { fullMatch, urlScheme } from "../pyurl";
import { AuthorizeError, clientIdError, redirectUriError } from "./errors";

export const FORBIDDEN_URI_SCHEMES = ["javascript", "data", "vbscript"];
const ALLOWED_PROMPTS = ["none", "consent", "login"];
const RESPONSE_MODES = ["query", "fragment", "form_post"];

export interface AuthorizationParams {
    readonly clientId: string;
    readonly redirectUri: string;
    readonly responseType: string;
    readonly responseMode: string;
    readonly grantType: "authorization_code" | "implicit" | "hybrid";
    scope: string[];
    readonly state: string | null;
    readonly nonce: string | null;
    readonly prompt: ReadonlySet<string>;
    readonly maxAge: number | null;
    readonly codeChallenge: string | null;
    readonly codeChallengeMethod: string;
    readonly providerPk: number;
}

/** the provider's redirect URIs of one type (OAuth2Provider.authorization_redirect_uris / post_logout_redirect_uris) */
export function redirectUrisOf(provider: ProviderRecord, type: "authorization" | "logout") {
    return provider.redirect_uris.filter((r) => r.redirect_uri_type === type);
}

/** strict: equal; regex: re.fullmatch */
export function redirectUriMatches(provider: ProviderRecord, type: "authorization" | "logout", uri: string): boolean {
    return redirectUrisOf(provider, type).some((r) => (r.matching_mode === "strict" ? r.url === uri : r.matching_mode === "regex" && fullMatch(r.url, uri)));
}

/** The provider's scope names (ScopeMapping.objects.filter(provider=...)) */
export function providerScopes(db: Db, provider: ProviderRecord): Set<string> {
    const names = new Set<string>();
    for (const pk of provider.property_mappings) {
        const mapping = db.scopeMappings.get(pk);
        if (mapping) names.add(mapping.scope_name);
    }
    return names;
}

function grantTypeOf(responseType: string): AuthorizationParams["grantType"] | undefined {
    if (responseType === "code") return "authorization_code";
    if (responseType === "id_token" || responseType === "id_token token") return "implicit";
    if (["code token", "code id_token", "code id_token token"].includes(responseType)) return "hybrid";
    return undefined;
}

/**
 * from_request + __post_init__. Throws AuthorizeError (answered at the redirect URI) or ClientPageError (an
 * error page), as authentik raises them.
 */
export function parseAuthorization(db: Db, query: URLSearchParams): AuthorizationParams {
    const get = (key: string) => query.get(key);
    const state = get("state");
    const redirectUri = get("redirect_uri") ?? "";
    const responseType = get("response_type") ?? "";
    const grantType = grantTypeOf(responseType);
    if (!grantType) throw new AuthorizeError(redirectUri, "unsupported_response_type", "", state);
    let responseMode = get("response_mode") ?? "";
    if (!RESPONSE_MODES.includes(responseMode)) responseMode = grantType === "authorization_code" ? "query" : "fragment";
    const maxAge = get("max_age");
    const clientId = get("client_id") ?? "";
    const provider = [...db.providers.values()].find((p) => p.client_id === clientId);
    if (!provider) throw clientIdError();

    // check_redirect_uri
    if (!redirectUri) throw redirectUriError("redirect_uri_missing");
    if (!redirectUriMatches(provider, "authorization", redirectUri)) throw redirectUriError("redirect_uri_no_match");
    if (FORBIDDEN_URI_SCHEMES.includes(urlScheme(redirectUri))) throw redirectUriError("redirect_uri_forbidden_scheme");

    // check_grant
    if (!provider.grant_types.includes(grantType)) {
        throw new AuthorizeError(redirectUri, "invalid_request", grantType, state, responseMode, undefined, "grant_type_not_configured");
    }

    // check_scope
    const allowed = providerScopes(db, provider);
    let scope = [...new Set((get("scope") ?? "").split(/\s+/).filter(Boolean))];
    if (scope.length === 0) scope = [...allowed];
    scope = scope.filter((s) => allowed.has(s));
    if (!scope.includes("openid") && (grantType === "hybrid" || responseType === "id_token" || responseType === "id_token token")) {
        throw new AuthorizeError(redirectUri, "invalid_scope", grantType, state, responseMode, undefined, "scope_openid_missing");
    }
    // offline_access needs a response type that issues a code
    if (!responseType.split(" ").includes("code")) scope = scope.filter((s) => s !== "offline_access");

    // check_nonce: required when an id_token comes from this endpoint
    const nonce = get("nonce");
    if (["id_token", "id_token token", "code id_token", "code id_token token"].includes(responseType) && scope.includes("openid") && !nonce) {
        throw new AuthorizeError(redirectUri, "invalid_request", grantType, state, responseMode);
    }

    // check_code_challenge
    const codeChallenge = get("code_challenge");
    const codeChallengeMethod = get("code_challenge_method") ?? "plain";
    if (codeChallenge && !["plain", "S256"].includes(codeChallengeMethod)) {
        throw new AuthorizeError(redirectUri, "invalid_request", grantType, state, responseMode, `Unsupported challenge method ${codeChallengeMethod}`);
    }
    if (get("request") !== null) throw new AuthorizeError(redirectUri, "request_not_supported", grantType, state, responseMode);

    return {
        clientId,
        redirectUri,
        responseType,
        responseMode,
        grantType,
        scope,
        state,
        nonce,
        prompt: new Set((get("prompt") ?? "").split(/\s+/).filter((p) => ALLOWED_PROMPTS.includes(p))),
        maxAge: maxAge ? Number.parseInt(maxAge, 10) : null,
        codeChallenge,
        codeChallengeMethod,
        providerPk: provider.pk,
    };
}
