/**
 * /application/o/authorize/ against authentik/providers/oauth2/views/authorize.py (OAuthAuthorizationParams,
 * AuthorizationFlowInitView, OAuthFulfillmentStage), errors.py (AuthorizeError, ClientIdError, RedirectUriError)
 * and policies/views.py (PolicyAccessView: sign in first, access denied).
 */
import { describe, expect, it } from "vitest";
import { useEmulator } from "../../fixture";
import { defaultAnswers, HeadlessBrowser } from "../testing/browser";
import { authorizeUrl, createApp, createUser, REDIRECT_URI } from "../testing/setup";

const ak = useEmulator();
const { api } = ak;

async function signedIn(username = "alice"): Promise<HeadlessBrowser> {
    await createUser(api, { username, password: "pw" });
    const b = new HeadlessBrowser(ak.url);
    await b.login({ username, password: "pw" });
    return b;
}

function location(res: Response): URL {
    return new URL(res.headers.get("location") as string, ak.url);
}

describe("authorize: refusals", () => {
    it("shows authentik's error page for an unknown client_id and a redirect_uri that does not match", async () => {
        const { provider } = await createApp(api);
        const unknown = await fetch(`${ak.url}${authorizeUrl({ client_id: "nope" })}`, { redirect: "manual" });
        expect(unknown.status).toBe(400);
        expect(await unknown.text()).toContain("The client identifier (client_id) is missing or invalid.");
        const mismatch = await fetch(`${ak.url}${authorizeUrl(provider, { redirect_uri: "https://app.example.com/other" })}`, { redirect: "manual" });
        expect(mismatch.status).toBe(400);
        const text = await mismatch.text();
        expect(text).toContain("Redirect URI Error");
        expect(text).toContain("The request fails due to a missing, invalid, or mismatching redirection URI (redirect_uri).");
        const missing = await fetch(`${ak.url}${authorizeUrl(provider, { redirect_uri: "" })}`, { redirect: "manual" });
        expect(missing.status).toBe(400);
    });

    it("matches strict redirect URIs exactly and regex ones with fullmatch", async () => {
        const { provider } = await createApp(api, {
            provider: { redirect_uris: [{ matching_mode: "regex", url: "https://app\\.example\\.com/(cb|oauth/callback)" }] },
        });
        const b = await signedIn();
        const ok = await b.request(authorizeUrl(provider, { redirect_uri: "https://app.example.com/cb" }));
        expect(ok.status).toBe(302);
        expect(location(ok).origin).toBe("https://app.example.com");
        // fullmatch: a longer URL that only starts with a match is refused
        expect((await b.request(authorizeUrl(provider, { redirect_uri: "https://app.example.com/cb/evil" }))).status).toBe(400);
        const strict = await createApp(api, { slug: "strict" });
        expect((await b.request(authorizeUrl(strict.provider, { redirect_uri: `${REDIRECT_URI}/` }))).status).toBe(400);
    });

    it("redirects invalid_request to the client when the provider's grant_types lack the grant", async () => {
        const { provider } = await createApp(api, { provider: { grant_types: ["refresh_token"] } });
        const res = await fetch(`${ak.url}${authorizeUrl(provider)}`, { redirect: "manual" });
        expect(res.status).toBe(302);
        expect(res.headers.get("location")).toBe(
            `${REDIRECT_URI}?error=invalid_request&error_description=The%20request%20is%20otherwise%20malformed&state=st4te`,
        );
        const implicit = await fetch(`${ak.url}${authorizeUrl(provider, { response_type: "token" })}`, { redirect: "manual" });
        expect(implicit.headers.get("location")).toContain("?error=unsupported_response_type&error_description=");
    });

    it("rejects an unsupported PKCE method and prompt=none without a session", async () => {
        const { provider } = await createApp(api);
        const pkce = await fetch(`${ak.url}${authorizeUrl(provider, { code_challenge: "abc", code_challenge_method: "S512" })}`, { redirect: "manual" });
        expect(pkce.headers.get("location")).toBe(`${REDIRECT_URI}?error=invalid_request&error_description=Unsupported%20challenge%20method%20S512&state=st4te`);
        const none = await fetch(`${ak.url}${authorizeUrl(provider, { prompt: "none" })}`, { redirect: "manual" });
        expect(none.headers.get("location")).toBe(
            `${REDIRECT_URI}?error=login_required&error_description=The%20Authorization%20Server%20requires%20End-User%20authentication&state=st4te`,
        );
    });
});

describe("authorize: sign-in and access", () => {
    it("sends an anonymous browser to the authentication flow with the request and next", async () => {
        const { provider } = await createApp(api);
        const path = authorizeUrl(provider);
        const res = await fetch(`${ak.url}${path}`, { redirect: "manual" });
        expect(res.status).toBe(302);
        const to = location(res);
        expect(to.pathname).toBe("/if/flow/default-authentication-flow/");
        expect(to.searchParams.get("next")).toBe(path);
        expect(to.searchParams.get("client_id")).toBe(provider.client_id);
        // and back: signing in there ends at the client with a code
        await createUser(api, { username: "erin", password: "pw" });
        const b = new HeadlessBrowser(ak.url);
        const end = await b.navigate(path, defaultAnswers({ username: "erin", password: "pw" }));
        expect(end.url).toMatch(/^https:\/\/app\.example\.com\/oauth\/callback\?code=[0-9a-f]{32}&state=st4te$/);
    });

    it("answers the access-denied page (HTTP 200) when the application's policies deny the user", async () => {
        const { provider, app } = await createApp(api);
        const group = (await api.post("/core/groups/", { name: "portal-users" })).body;
        expect((await api.post("/policies/bindings/", { target: app.pk, group: group.pk, order: 0 })).status).toBe(201);
        const b = await signedIn("frank");
        const denied = await b.request(authorizeUrl(provider));
        expect(denied.status).toBe(200);
        expect(denied.headers.get("content-type")).toBe("text/html; charset=utf-8");
        expect(await denied.text()).toContain("Request has been denied.");
        const user = (await api.get("/core/users/?username=frank")).body.results[0];
        await api.post(`/core/groups/${group.pk}/add_user/`, { pk: user.pk });
        expect((await b.request(authorizeUrl(provider))).status).toBe(302);
    });

    it("narrows the scope to the provider's mappings, and uses them all when none are asked for", async () => {
        const { provider } = await createApp(api, { scopes: ["openid", "email"] });
        const b = await signedIn();
        const exchange = async (scope: string) => {
            const res = await b.request(authorizeUrl(provider, { scope }));
            const code = location(res).searchParams.get("code") as string;
            const token = await fetch(`${ak.url}/application/o/token/`, {
                method: "POST",
                body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: provider.client_id, client_secret: provider.client_secret }),
            });
            return (await token.json()) as Record<string, string>;
        };
        expect((await exchange("openid email profile bogus")).scope).toBe("openid email");
        expect((await exchange("")).scope.split(" ").sort()).toEqual(["email", "openid"]);
    });

    it("answers form_post through the flow executor with an autosubmit challenge", async () => {
        const { provider } = await createApp(api);
        const b = await signedIn();
        const res = await b.request(authorizeUrl(provider, { response_mode: "form_post" }));
        const page = location(res);
        expect(page.pathname).toBe("/if/flow/default-provider-authorization-implicit-consent/");
        const challenge = await (await b.request(`/api/v3/flows/executor/default-provider-authorization-implicit-consent/?query=${encodeURIComponent(page.search.slice(1))}`)).json();
        expect(challenge).toEqual({
            component: "ak-stage-autosubmit",
            title: "Redirecting to App portal...",
            url: REDIRECT_URI,
            attrs: { code: expect.stringMatching(/^[0-9a-f]{32}$/), state: "st4te" },
        });
    });
});
