/**
 * End to end with a real relying party (openid-client): discovery, authorization code + PKCE through the flow
 * executor as a headless browser signs in (identification, password) and consents (explicit-consent flow), the
 * code exchange with the id_token verified against the JWKS, userinfo, and a refresh.
 */
import * as client from "openid-client";
import { describe, expect, it } from "vitest";
import { useEmulator } from "../fixture";
import { defaultAnswers, HeadlessBrowser } from "./testing/browser";
import { createApp, createUser, REDIRECT_URI } from "./testing/setup";

const ak = useEmulator();
const { api } = ak;

describe("openid-client against the emulator", () => {
    it("signs in with authorization code + PKCE, verifies the id_token, reads userinfo and refreshes", async () => {
        const user = await createUser(api, { username: "grace", password: "s3cret", email: "grace@example.com", name: "Grace H" });
        const { provider } = await createApp(api, {
            slug: "rp",
            authorizationFlow: "default-provider-authorization-explicit-consent",
            provider: { sub_mode: "user_email" },
        });
        const config = await client.discovery(new URL(`${ak.url}/application/o/rp/`), provider.client_id, provider.client_secret, undefined, {
            execute: [client.allowInsecureRequests],
        });
        const verifier = client.randomPKCECodeVerifier();
        const state = client.randomState();
        const nonce = client.randomNonce();
        const url = client.buildAuthorizationUrl(config, {
            redirect_uri: REDIRECT_URI,
            scope: "openid email profile offline_access",
            code_challenge: await client.calculatePKCECodeChallenge(verifier),
            code_challenge_method: "S256",
            state,
            nonce,
        });

        const browser = new HeadlessBrowser(ak.url);
        const callback = await browser.navigate(url.href, defaultAnswers({ username: "grace", password: "s3cret" }));
        expect(callback.url.startsWith(`${REDIRECT_URI}?`)).toBe(true);
        // sign-in, then the consent stage of the explicit-consent flow
        const components = browser.steps.flatMap((s) => (s.challenge ? [s.challenge.component] : []));
        expect(components).toEqual(["ak-stage-identification", "ak-stage-password", "xak-flow-redirect", "ak-stage-consent", "xak-flow-redirect"]);

        const tokens = await client.authorizationCodeGrant(config, new URL(callback.url), {
            pkceCodeVerifier: verifier,
            expectedState: state,
            expectedNonce: nonce,
        });
        const claims = tokens.claims();
        expect(claims).toMatchObject({ iss: `${ak.url}/application/o/rp/`, aud: provider.client_id, sub: "grace@example.com", nonce, amr: ["pwd"] });
        expect(tokens.refresh_token).toBeDefined();

        const info = await client.fetchUserInfo(config, tokens.access_token, "grace@example.com");
        expect(info).toMatchObject({ sub: "grace@example.com", email: "grace@example.com", name: "Grace H", preferred_username: "grace", groups: [] });

        const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
        expect(refreshed.access_token).not.toBe(tokens.access_token);
        expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
        expect(refreshed.claims()?.sub).toBe("grace@example.com");
        expect(user.pk).toEqual(expect.any(Number));
    });
});
