import { createRemoteJWKSet, jwtVerify } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../testbed/authentik";
import { RawClient } from "../../testbed/authentik/testing";
import { injectedPostgres } from "../harness/injected";
import { discover, signIn, type SignInResult, type SignInSettings } from "../../scripts/lib/login/sign-in";
import { readStack, type StackView } from "../../scripts/lib/login/stack";
import { PulumiStack, runCommand } from "../../scripts/lib/pulumi-cli";

/**
 * Issue #10's proof: after `pulumi up`, the app's users sign in through the provisioned OIDC client — authorization
 * code + PKCE with `openid-client` (a real relying party) through authorize, the flow executor and the token
 * endpoint — and get the claims the app pairs them by; nobody outside the app's groups gets in.
 */
describe("login end to end: seeded users sign in through the provisioned client", () => {
    const server = injectedPostgres();
    let authentik: Emulator;
    let api: RawClient;
    let stack: PulumiStack;
    let view: StackView;
    const results = new Map<string, SignInResult>();

    const testUsers = [
        { username: "alice", name: "Alice Admin", email: "alice@example.test", groups: ["admins"] },
        { username: "eddie", name: "Eddie Editor", email: "eddie@example.test", groups: ["editors", "org-ACR"] },
        { username: "victor", name: "Victor Viewer", email: "victor@example.test", groups: ["viewers"] },
        // In an org group only: no role group, so the application's bindings do not admit her.
        { username: "olga", name: "Olga Outsider", email: "olga@example.test", groups: ["org-ACR"] },
    ];

    beforeAll(async () => {
        authentik = await startEmulator({ token: "login-token" });
        api = new RawClient(authentik.url, authentik.token);
        stack = await PulumiStack.create(
            "signin",
            {
                environment: "dev",
                app: { name: "signin", publicUrl: "http://localhost:5000" },
                // Its own Authentik database and role: other dev stacks of the run share the server.
                postgres: { host: server.host, port: server.port, adminUser: server.user, databases: { authentik: "authentik_signin" }, roles: { authentik: "authentik_signin" } },
                authentik: { url: authentik.url, groups: { orgs: ["ACR"] }, testUsers },
            },
            { "postgres.adminPassword": server.password, "authentik.token": authentik.token },
        );
        await stack.up();
        view = await readStack(stack);
        const oidc = await discover(view.settings);
        for (const user of testUsers) {
            results.set(user.username, await signIn(view.settings, { username: user.username, password: view.passwords.get(user.username)! }, oidc));
        }
    });

    afterAll(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.remove();
        await authentik?.stop();
    });

    const granted = (username: string) => {
        const result = results.get(username);
        if (!result?.granted) throw new Error(`${username} was refused: ${result && !result.granted ? result.reason : "not signed in"}`);
        return result;
    };
    const uuidOf = async (username: string) => (await api.get(`/core/users/?username=${username}`)).body.results[0].uuid as string;

    it("issues tokens to every member of the app's groups; the id_token verified against the JWKS", () => {
        for (const username of ["alice", "eddie", "victor"]) {
            const result = granted(username);
            expect(result.idToken.iss).toBe(view.settings.issuer);
            expect(result.idToken.aud).toBe(view.settings.clientId);
            expect(result.scope.split(" ").sort()).toEqual(["email", "groups", "offline_access", "openid", "profile"]);
        }
    });

    it("signs the id_token with the provider's key: it verifies against the JWKS, RS256", async () => {
        const discovery = (await (await fetch(`${view.settings.issuer}.well-known/openid-configuration`)).json()) as { jwks_uri: string };
        const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
        for (const username of ["alice", "eddie", "victor"]) {
            const { payload, protectedHeader } = await jwtVerify(granted(username).tokens.idToken, keys, { issuer: view.settings.issuer, audience: view.settings.clientId });
            expect(protectedHeader.alg).toBe("RS256");
            expect(payload.sub).toBe(granted(username).idToken.sub);
        }
    });

    it("pairs users by sub = their Authentik UUID, in id_token and userinfo", async () => {
        for (const username of ["alice", "eddie", "victor"]) {
            const result = granted(username);
            expect(result.idToken.sub).toBe(await uuidOf(username));
            expect(result.userinfo.sub).toBe(result.idToken.sub);
        }
    });

    it("lists exactly the user's groups in `groups`, each once", () => {
        expect(granted("alice").userinfo.groups).toEqual(["signin-dev-admins"]);
        expect([...(granted("eddie").userinfo.groups as string[])].sort()).toEqual(["signin-dev-editors", "signin-dev-org-ACR"]);
        expect([...(granted("eddie").idToken.groups as string[])].sort()).toEqual(["signin-dev-editors", "signin-dev-org-ACR"]);
        expect(granted("victor").idToken.groups).toEqual(["signin-dev-viewers"]);
        expect(granted("alice").userinfo).toMatchObject({ preferred_username: "alice", name: "Alice Admin", email: "alice@example.test" });
    });

    it("refuses a user outside the app's groups at the authorize step", () => {
        const olga = results.get("olga");
        expect(olga?.granted).toBe(false);
    });

    it("a refresh token works", async () => {
        const oidc = await discover(view.settings);
        const refreshed = await client.refreshTokenGrant(oidc, granted("eddie").tokens.refreshToken!);
        expect(typeof refreshed.access_token).toBe("string");
        expect(refreshed.claims()?.sub).toBe(granted("eddie").idToken.sub);
    });

    /** A raw token request with client_secret_basic, as an app would send it. */
    const tokenRequest = (settings: SignInSettings, secret: string, form: Record<string, string>) =>
        fetch(new URL("token/", new URL("../", settings.issuer)), {
            method: "POST",
            headers: { Authorization: `Basic ${Buffer.from(`${encodeURIComponent(settings.clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`, "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams(form),
        });

    it("refuses a grant the provider does not allow (password)", async () => {
        const res = await tokenRequest(view.settings, view.settings.clientSecret, { grant_type: "password", username: "alice", password: view.passwords.get("alice")! });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: string }).error).toBe("invalid_grant");
    });

    it("after npm run rotate -- oidc-client-secret the old secret is refused at the token endpoint and the new one accepted", async () => {
        const before = view.settings;
        const rotated = await runCommand("npx", ["tsx", "scripts/rotate.ts", "--stack", stack.stack, "--config-file", stack.configFile!, "--yes", "oidc-client-secret"], { env: stack.environment });
        expect(rotated.code, rotated.stderr).toBe(0);
        const after = (await readStack(stack)).settings;
        expect(after.clientSecret).not.toBe(before.clientSecret);

        const refreshToken = granted("victor").tokens.refreshToken!;
        const old = await tokenRequest(before, before.clientSecret, { grant_type: "refresh_token", refresh_token: refreshToken });
        // authentik answers every token error with 400 (views/token.py TokenView: TokenResponse(status=400)).
        expect(old.status).toBe(400);
        expect(((await old.json()) as { error: string }).error).toBe("invalid_client");
        const fresh = await tokenRequest(after, after.clientSecret, { grant_type: "refresh_token", refresh_token: refreshToken });
        expect(fresh.status).toBe(200);

        const again = await signIn(after, { username: "alice", password: view.passwords.get("alice")! });
        expect(again.granted).toBe(true);
    });

    it("npm run login -- --all-test-users checks every seeded user against the stack and says so", async () => {
        const result = await runCommand("npx", ["tsx", "scripts/login.ts", "--stack", stack.stack, "--config-file", stack.configFile!, "--all-test-users"], { env: stack.environment });
        expect(result.code, result.stdout + result.stderr).toBe(0);
        expect(result.stdout).toContain("olga: access refused");
        expect(result.stdout).toContain("all 4 test users match the stack");
        for (const secret of [view.settings.clientSecret, ...view.passwords.values()]) expect(result.stdout + result.stderr).not.toContain(secret);
    });
});
