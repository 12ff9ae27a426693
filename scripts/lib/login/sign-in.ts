/**
 * A sign-in as the app's users make it: the app (a real relying party, `openid-client`) sends the browser to
 * authentik's authorize endpoint with PKCE; the browser (HeadlessBrowser) follows authentik to its flow pages
 * and through the flow executor; back at the app's callback, the app exchanges the code, verifies the id_token
 * against the JWKS and reads userinfo. Works against a real authentik as against the emulator.
 */
import * as client from "openid-client";
import { HeadlessBrowser } from "./browser";
import { runFlow, type Credentials } from "./executor";

export interface SignInSettings {
    /** The provider's issuer, `<authentik>/application/o/<slug>/`. */
    readonly issuer: string;
    readonly clientId: string;
    /** Secret. */
    readonly clientSecret: string;
    /** One of the provider's redirect URIs (the app's callback). */
    readonly redirectUri: string;
    /** Default `openid profile email groups offline_access`. */
    readonly scope?: string;
}

export type Claims = Record<string, unknown>;

export type SignInResult =
    | {
          readonly granted: true;
          readonly idToken: Claims;
          readonly userinfo: Claims;
          /** Scopes the token was issued for, as the token endpoint says. */
          readonly scope: string;
          /** Whether a refresh token came with the tokens (never the token itself). */
          readonly refreshable: boolean;
          /** The raw tokens, for callers that go on (refresh, revoke); never printed. Secret. */
          readonly tokens: { readonly accessToken: string; readonly refreshToken?: string; readonly idToken: string };
      }
    | { readonly granted: false; readonly reason: string };

export const DEFAULT_SCOPE = "openid profile email groups offline_access";

/** At most this many redirects between authorize and the callback. */
const MAX_HOPS = 20;

/**
 * The client authenticates with client_secret_post: authentik does not URL-decode HTTP Basic credentials
 * (providers/oauth2/utils.py extract_client_auth), and openid-client form-encodes them as RFC 6749 asks, so a client
 * id such as `acme-dev` would arrive as `acme%2Ddev` and be refused.
 */
export async function discover(settings: SignInSettings): Promise<client.Configuration> {
    const issuer = new URL(settings.issuer);
    // Non-repudiation checks: the id_token's signature is verified against the provider's JWKS, not taken on TLS's word.
    const execute = [client.enableNonRepudiationChecks, ...(issuer.protocol === "http:" ? [client.allowInsecureRequests] : [])];
    return client.discovery(issuer, settings.clientId, undefined, client.ClientSecretPost(settings.clientSecret), { execute });
}

export async function signIn(settings: SignInSettings, credentials: Credentials, config?: client.Configuration): Promise<SignInResult> {
    const oidc = config ?? (await discover(settings));
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorize = client.buildAuthorizationUrl(oidc, {
        redirect_uri: settings.redirectUri,
        scope: settings.scope ?? DEFAULT_SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state,
        nonce,
    });

    const browser = new HeadlessBrowser();
    const callback = await browse(browser, authorize, settings.redirectUri, credentials);
    if (!(callback instanceof URL)) return callback;
    const error = callback.searchParams.get("error");
    if (error !== null) return { granted: false, reason: `${error}${callback.searchParams.has("error_description") ? `: ${callback.searchParams.get("error_description")}` : ""}` };

    const tokens = await explained("the token endpoint refused the code", () =>
        client.authorizationCodeGrant(oidc, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true }),
    );
    const idToken = tokens.claims() as Claims;
    const userinfo = (await explained("the userinfo endpoint refused the token", () => client.fetchUserInfo(oidc, tokens.access_token, String(idToken.sub)))) as Claims;
    return {
        granted: true,
        idToken,
        userinfo,
        scope: tokens.scope ?? "",
        refreshable: typeof tokens.refresh_token === "string",
        tokens: { accessToken: tokens.access_token, idToken: String(tokens.id_token), ...(tokens.refresh_token !== undefined && { refreshToken: tokens.refresh_token }) },
    };
}

/** An OAuth error answer as one line: what refused, and the server's `error` and `error_description`. */
async function explained<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (error) {
        if (error instanceof client.ResponseBodyError) throw new Error(`${what}: ${error.error}${error.error_description ? ` (${error.error_description})` : ""}`);
        throw error;
    }
}

/** Follows authentik from the authorize URL to the app's callback, running every flow page on the way. */
async function browse(browser: HeadlessBrowser, start: URL, redirectUri: string, credentials: Credentials): Promise<URL | { granted: false; reason: string }> {
    let url = start;
    let referer: URL | undefined;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
        if (url.href.startsWith(redirectUri)) return url;
        const response = await browser.get(url, referer);
        referer = url;
        if (response.location !== undefined && response.status >= 300 && response.status < 400) {
            url = response.location;
            continue;
        }
        if (response.status === 200 && /\/if\/flow\/[^/]+\/?$/.test(url.pathname)) {
            const outcome = await runFlow(browser, url, credentials);
            if (outcome.kind === "denied") return { granted: false, reason: outcome.message };
            url = outcome.to;
            continue;
        }
        return { granted: false, reason: `${url.pathname} answered HTTP ${response.status}${pageTitle(response.text)}` };
    }
    throw new Error(`more than ${MAX_HOPS} redirects between ${start.origin} and ${redirectUri}`);
}

/** `: <title>` of an HTML page (authentik's access-denied page says why), or nothing. */
function pageTitle(html: string): string {
    const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();
    return title ? `: ${title}` : "";
}
