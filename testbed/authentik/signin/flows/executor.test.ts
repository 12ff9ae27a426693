/**
 * The flow executor against authentik's behaviour: authentik/flows/views/executor.py (302 to the same URL per
 * stage, _flow_done), the default authentication flow's stages (stages/identification/stage.py,
 * stages/password/stage.py, stages/authenticator_validate — skipped without devices —, stages/user_login/stage.py),
 * the session cookie (root/middleware.py SessionMiddleware) and CSRF (DRF SessionAuthentication).
 */
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { useEmulator } from "../../fixture";
import { HeadlessBrowser } from "../testing/browser";
import { authorizeUrl, createApp, createUser } from "../testing/setup";

const ak = useEmulator();
const { api } = ak;
const EXECUTOR = "/api/v3/flows/executor/default-authentication-flow/?query=";

async function json(res: Response) {
    return (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe("default authentication flow through /api/v3/flows/executor/", () => {
    it("identification → password → (mfa skipped) → login, each step a 302 back to the executor", async () => {
        await createUser(api, { username: "alice", password: "correct horse", email: "alice@example.com" });
        const b = new HeadlessBrowser(ak.url);
        const first = await b.request(EXECUTOR);
        expect(first.status).toBe(200);
        const identification = await json(first);
        expect(identification).toEqual({
            component: "ak-stage-identification",
            primary_action: "Log in",
            user_fields: ["email", "username"],
            password_fields: false,
            captcha_stage: null,
            allow_show_password: false,
            show_source_labels: false,
            flow_designation: "authentication",
            enable_remember_me: false,
            passkey_challenge: null,
            sources: [],
            flow_info: { title: "Welcome to authentik!", background: "/static/dist/assets/images/flow_background.jpg", cancel_url: "/flows/-/cancel/", layout: "stacked" },
        });
        // the session cookie: a signed JWT naming the session, HttpOnly, SameSite=Lax over plain HTTP, no expiry
        const setCookie = first.headers.getSetCookie().find((c) => c.startsWith("authentik_session="));
        expect(setCookie).toMatch(/^authentik_session=[^;]+; HttpOnly; Path=\/; SameSite=Lax$/);
        expect(decodeJwt(b.cookies.get("authentik_session") as string)).toMatchObject({ iss: "authentik", sub: "anonymous", authenticated: false, acr: "goauthentik.io/core/default" });

        const post = (body: unknown) => b.request(EXECUTOR, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        // by email, case-insensitively
        const afterId = await post({ component: "ak-stage-identification", uid_field: "ALICE@example.com" });
        expect(afterId.status).toBe(302);
        expect(afterId.headers.get("location")).toBe(EXECUTOR);
        const password = await json(await b.request(EXECUTOR));
        expect(password).toMatchObject({ component: "ak-stage-password", pending_user: "alice", pending_user_avatar: "/static/dist/assets/images/user_default.png", allow_show_password: false });

        const wrong = await post({ component: "ak-stage-password", password: "wrong" });
        expect(wrong.status).toBe(200);
        expect((await json(wrong)).response_errors).toEqual({ password: [{ string: "Invalid password", code: "invalid" }] });

        const right = await post({ component: "ak-stage-password", password: "correct horse" });
        expect(right.status).toBe(302);
        const mfa = await b.request(EXECUTOR); // authenticator validation: no device, not_configured_action skip
        expect(mfa.status).toBe(302);
        const done = await b.request(EXECUTOR); // user login, then the flow is done
        expect(await json(done)).toEqual({ component: "xak-flow-redirect", to: "/", final_redirect: true });
        expect(decodeJwt(b.cookies.get("authentik_session") as string)).toMatchObject({ authenticated: true });
        const csrf = done.headers.getSetCookie().find((c) => c.startsWith("authentik_csrf="));
        expect(csrf).toMatch(/^authentik_csrf=[A-Za-z0-9]{32}; expires=[^;]+; Max-Age=31449600; Path=\/; SameSite=Lax$/);
    });

    it("lets an unknown identifier through (pretend_user_exists) and fails it at the password", async () => {
        const b = new HeadlessBrowser(ak.url);
        await b.request(EXECUTOR);
        const res = await b.request(EXECUTOR, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ uid_field: "nobody" }) });
        expect(res.status).toBe(302);
        expect(await json(await b.request(EXECUTOR))).toMatchObject({ component: "ak-stage-password", pending_user: "nobody" });
        const wrong = await b.request(EXECUTOR, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ password: "x" }) });
        expect((await json(wrong)).response_errors.password[0].string).toBe("Invalid password");
    });

    it("rejects an empty identification and a missing password with DRF's messages", async () => {
        const b = new HeadlessBrowser(ak.url);
        await b.request(EXECUTOR);
        const post = (body: unknown) => b.request(EXECUTOR, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        expect((await json(await post({ uid_field: "" }))).response_errors).toEqual({
            non_field_errors: [{ string: "No identification data provided.", code: "invalid" }],
        });
        await post({ uid_field: "akadmin" });
        expect((await json(await post({}))).response_errors).toEqual({ password: [{ string: "This field is required.", code: "required" }] });
    });

    it("denies access after failed_attempts_before_cancel (5) wrong passwords", async () => {
        await createUser(api, { username: "bob", password: "pw" });
        const b = new HeadlessBrowser(ak.url);
        await b.request(EXECUTOR);
        const post = (body: unknown) => b.request(EXECUTOR, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        await post({ uid_field: "bob" });
        for (let i = 1; i < 5; i++) expect((await json(await post({ password: `no${i}` }))).component).toBe("ak-stage-password");
        const denied = await json(await post({ password: "no5" }));
        expect(denied).toMatchObject({ component: "ak-stage-access-denied", error_message: "Invalid password", pending_user: "bob" });
        // the plan is gone: the flow starts over
        expect((await json(await b.request(EXECUTOR))).component).toBe("ak-stage-identification");
    });

    it("denies a flow whose own policy bindings do not pass (FlowPlanner: PolicyEngine(flow))", async () => {
        const flow = (await api.get("/flows/instances/default-authentication-flow/")).body;
        const group = (await api.post("/core/groups/", { name: "insiders" })).body;
        expect((await api.post("/policies/bindings/", { target: flow.pk, group: group.pk, order: 0 })).status).toBe(201);
        const res = await json(await new HeadlessBrowser(ak.url).request(EXECUTOR));
        // denied_action message_continue without a `next` on the executor's own query: stage_invalid
        expect(res).toMatchObject({ component: "ak-stage-access-denied", error_message: "Flow does not apply to current user.", pending_user: "" });
    });

    it("answers Django's 404 page for an unknown flow", async () => {
        const res = await fetch(`${ak.url}/api/v3/flows/executor/nope/?query=`);
        expect(res.status).toBe(404);
        expect(await res.text()).toContain("<h1>Not Found</h1>");
    });
});

describe("CSRF for session-authenticated executor requests (DRF SessionAuthentication)", () => {
    it("needs X-authentik-CSRF matching the authentik_csrf cookie once signed in", async () => {
        await createUser(api, { username: "carol", password: "pw" });
        const { provider } = await createApp(api, { authorizationFlow: "default-provider-authorization-explicit-consent" });
        const b = new HeadlessBrowser(ak.url);
        await b.login({ username: "carol", password: "pw" });
        const authorize = await b.request(authorizeUrl(provider));
        expect(authorize.status).toBe(302);
        const page = new URL(authorize.headers.get("location") as string, ak.url);
        expect(page.pathname).toBe("/if/flow/default-provider-authorization-explicit-consent/");
        const executor = `/api/v3/flows/executor/default-provider-authorization-explicit-consent/?query=${encodeURIComponent(page.search.slice(1))}`;
        const consent = await json(await b.request(executor));
        expect(consent).toMatchObject({
            component: "ak-stage-consent",
            header_text: "You're about to sign into App portal.",
            pending_user: "carol",
            permissions: [
                { id: "email", name: "Email address" },
                { id: "profile", name: "General Profile Information" },
            ],
            additional_permissions: [],
            flow_info: { title: "Redirecting to App portal" },
        });
        const body = JSON.stringify({ component: "ak-stage-consent", token: consent.token });
        const missing = await b.request(executor, { method: "POST", headers: { "Content-Type": "application/json" }, body });
        expect(missing.status).toBe(403);
        expect(await missing.json()).toEqual({ detail: "CSRF Failed: CSRF token missing." });
        const bad = await b.request(executor, { method: "POST", headers: { "Content-Type": "application/json", "X-authentik-CSRF": "x".repeat(32) }, body });
        expect(await bad.json()).toEqual({ detail: "CSRF Failed: CSRF token from the 'X-Authentik-Csrf' HTTP header incorrect." });
        const ok = await b.request(executor, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-authentik-CSRF": b.cookies.get("authentik_csrf") as string },
            body,
        });
        expect(ok.status).toBe(302);
        const redirect = await json(await b.request(executor));
        expect(redirect.component).toBe("xak-flow-redirect");
        expect(redirect.to).toMatch(/^https:\/\/app\.example\.com\/oauth\/callback\?code=[0-9a-f]{32}&state=st4te$/);
    });
});

describe("flow pages", () => {
    it("serves /if/flow/<slug>/ and redirects /flows/-/default/authentication/ to the brand's flow", async () => {
        const shell = await fetch(`${ak.url}/if/flow/default-authentication-flow/`);
        expect(shell.status).toBe(200);
        expect(shell.headers.get("content-type")).toBe("text/html; charset=utf-8");
        expect((await fetch(`${ak.url}/if/flow/nope/`)).status).toBe(404);
        const res = await fetch(`${ak.url}/flows/-/default/authentication/?next=%2Fapplication%2Fo%2Fauthorize%2F`, { redirect: "manual" });
        expect(res.status).toBe(302);
        expect(res.headers.get("location")).toBe("/if/flow/default-authentication-flow/?next=%2Fapplication%2Fo%2Fauthorize%2F");
    });

    it("signs out through the default invalidation flow (user_logout stage)", async () => {
        await createUser(api, { username: "dave", password: "pw" });
        const b = new HeadlessBrowser(ak.url);
        await b.login({ username: "dave", password: "pw" });
        expect(decodeJwt(b.cookies.get("authentik_session") as string).authenticated).toBe(true);
        expect(await b.runFlow("default-invalidation-flow", "", () => undefined)).toBe("/");
        // logout flushed the session and the finished flow left it empty: Django deletes the cookie
        expect(b.cookies.has("authentik_session")).toBe(false);
    });
});
