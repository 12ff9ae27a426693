import { existsSync, readFileSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../testbed/authentik";
import { injectedPostgres } from "../harness/injected";
import { PROJECT_DIR, PulumiStack, runCommand } from "../../scripts/lib/pulumi-cli";

/**
 * Issue #6's proof: generated secrets never leave Pulumi unmasked, the app's environment reaches it (outputs,
 * 0600 .env file, StackReference), and rotation — by script or by counter — reaches every consumer.
 */
describe("secrets, rotation and hand-off, end to end", () => {
    const server = injectedPostgres();
    const envFileDir = join(".gatehouse", `e2e-${process.pid}`);
    const envFile = join(envFileDir, ".env.dev");
    const envFilePath = join(PROJECT_DIR, envFile);
    let authentik: Emulator;
    let stack: PulumiStack;

    beforeAll(async () => {
        authentik = await startEmulator({ token: "handoff-token" });
        stack = await PulumiStack.create(
            "handoff",
            {
                environment: "dev",
                app: { name: "handoff", publicUrl: "http://localhost:5000" },
                postgres: { host: server.host, port: server.port, adminUser: server.user },
                authentik: {
                    url: authentik.url,
                    testUsers: [{ username: "tess", name: "Tess Tester", email: "tess@example.test", groups: ["editors"] }],
                },
                handoff: { envFile },
            },
            { "postgres.adminPassword": server.password, "authentik.token": authentik.token },
        );
        await stack.up();
    });

    afterAll(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.remove();
        await authentik?.stop();
        await rm(join(PROJECT_DIR, envFileDir), { recursive: true, force: true });
    });

    /** Every generated secret value, read from the state with --show-secrets (never logged). */
    async function generatedSecrets(): Promise<Map<string, string>> {
        const out = await stack.run("stack", "export", "--show-secrets");
        stack.log.pop(); // this output holds the plaintext on purpose; keep it out of the leak scan
        const resources = (JSON.parse(out.stdout) as { deployment: { resources: { type: string; urn: string; outputs?: { result?: unknown } }[] } }).deployment.resources;
        // --show-secrets writes a secret as {<sig>, plaintext: <JSON of the value>}.
        const plain = (value: unknown): string =>
            typeof value === "object" && value !== null && "plaintext" in value ? (JSON.parse(String((value as { plaintext: unknown }).plaintext)) as string) : String(value ?? "");
        return new Map(
            resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword").map((r) => [r.urn.slice(r.urn.lastIndexOf("::") + 2), plain(r.outputs?.result)]),
        );
    }

    type Revealed = { oidc: Record<string, string>; database: Record<string, string>; appEnv: Record<string, string>; testUserPasswords: Record<string, string> };
    async function revealed(): Promise<Revealed> {
        const out = await stack.run("stack", "output", "--json", "--show-secrets");
        stack.log.pop();
        return JSON.parse(out.stdout) as Revealed;
    }

    const envFileVars = () =>
        Object.fromEntries(
            readFileSync(envFilePath, "utf8")
                .split("\n")
                .filter((line) => line && !line.startsWith("#"))
                .map((line) => {
                    const at = line.indexOf("=");
                    return [line.slice(0, at), line.slice(at + 1).replace(/^'(.*)'$/, "$1")];
                }),
        );

    async function providerSecret(clientId: string): Promise<string> {
        const res = await fetch(`${authentik.url}/api/v3/providers/oauth2/?client_id=${clientId}`, { headers: { Authorization: `Bearer ${authentik.token}` } });
        const body = (await res.json()) as { results: { client_secret: string }[] };
        return body.results[0]!.client_secret;
    }

    async function logsIn(url: string, password: string): Promise<boolean> {
        const u = new URL(url);
        const client = new pg.Client({ host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username), password, database: u.pathname.slice(1) });
        try {
            await client.connect();
            await client.end();
            return true;
        } catch {
            return false;
        }
    }

    const rotate = (...args: string[]) =>
        runCommand("npx", ["tsx", "scripts/rotate.ts", "--stack", stack.stack, "--config-file", stack.configFile!, ...args], { env: stack.environment });

    it("hands the app its whole environment, secrets as secrets", async () => {
        const masked = await stack.outputs(false);
        const oidc = masked.oidc as Record<string, string>;
        expect(oidc.clientSecret).toBe("[secret]");
        expect(oidc.issuer).toBe(`${authentik.url}/application/o/handoff-dev/`);
        expect(oidc.clientId).toBe("handoff-dev");
        const appEnv = masked.appEnv as Record<string, string>;
        for (const name of ["OIDC_CLIENT_SECRET", "SECRET_KEY", "DATABASE_URL", "DATABASE_URL_APP"]) expect(appEnv[name], name).toBe("[secret]");
        expect(appEnv).toMatchObject({ APP_ENV: "dev", OIDC_CLIENT_ID: "handoff-dev", OIDC_REDIRECT_URI: "http://localhost:5000/oauth/callback", RLS_ENABLED: "true" });
        const plain = await revealed();
        expect(plain.appEnv.OIDC_CLIENT_SECRET).toBe(plain.oidc.clientSecret);
        expect(plain.oidc.clientSecret.length).toBeGreaterThanOrEqual(64);
        expect(plain.appEnv.SECRET_KEY!.length).toBeGreaterThanOrEqual(60);
    });

    it("the issuer answers on Authentik's discovery endpoint", async () => {
        const { oidc } = await revealed();
        const res = await fetch(oidc.discoveryUrl!);
        expect(res.status).toBe(200);
        expect(((await res.json()) as { issuer: string }).issuer).toBe(oidc.issuer);
    });

    it("Authentik's provider holds the generated client secret, and the test user its generated password", async () => {
        const { oidc } = await revealed();
        expect(await providerSecret(oidc.clientId!)).toBe(oidc.clientSecret);
        // The test user's password is derived from the generated key (infra/secrets/derive.ts), not the key itself.
        const { testUserPasswords } = await revealed();
        const key = (await generatedSecrets()).get("gatehouse-secrets-test-user-passwords")!;
        expect(authentik.checkPassword("tess", testUserPasswords.tess!)).toBe(true);
        expect(testUserPasswords.tess).not.toBe(key);
        expect(authentik.checkPassword("tess", key)).toBe(false);
    });

    it("writes the .env file with mode 0600 and exactly the app's environment", async () => {
        expect(statSync(envFilePath).mode & 0o777).toBe(0o600);
        expect(envFileVars()).toEqual((await revealed()).appEnv);
    });

    it("an app stack reads the outputs through StackReference, secrets still secret", async () => {
        const app = await stack.sibling("example", join(PROJECT_DIR, "examples", "app-stack"));
        await app.ok("config", "set", "gatehouseStack", `organization/gatehouse/${stack.stack}`);
        await app.ok("up", "--yes", "--skip-preview");
        const masked = await app.outputs(false);
        expect(masked.issuer).toBe(`${authentik.url}/application/o/handoff-dev/`);
        expect(masked.clientSecret).toBe("[secret]");
        expect(masked.runtimeDatabaseUrl).toBe("[secret]");
        const shown = JSON.parse((await app.run("stack", "output", "--json", "--show-secrets")).stdout) as Record<string, string>;
        app.log.pop();
        expect(shown.clientSecret).toBe((await revealed()).oidc.clientSecret);
        await app.ok("destroy", "--yes", "--skip-preview");
        await app.ok("stack", "rm", "--yes");
    });

    it("rotating the client secret with npm run rotate reaches Authentik and the .env file", async () => {
        const before = await revealed();
        const result = await rotate("--yes", "oidc-client-secret");
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain("rotated: gatehouse-secrets-oidc-client-secret");
        expect(result.stdout).toMatch(/changed downstream:[\s\S]*OAuth2Provider/);
        expect(result.stdout).toMatch(/EnvFile/);
        const after = await revealed();
        expect(after.oidc.clientSecret).not.toBe(before.oidc.clientSecret);
        expect(await providerSecret(after.oidc.clientId!)).toBe(after.oidc.clientSecret);
        expect(envFileVars().OIDC_CLIENT_SECRET).toBe(after.oidc.clientSecret);
        expect(result.stdout + result.stderr).not.toContain(after.oidc.clientSecret);
        expect(result.stdout + result.stderr).not.toContain(before.oidc.clientSecret);
    });

    it("rotating a role's password: the old one no longer logs in, the new one does", async () => {
        const before = await revealed();
        const oldPassword = decodeURIComponent(new URL(before.database.appUrl!).password);
        const result = await rotate("--yes", "db-app-password");
        expect(result.code, result.stderr).toBe(0);
        const after = await revealed();
        const newPassword = decodeURIComponent(new URL(after.database.appUrl!).password);
        expect(newPassword).not.toBe(oldPassword);
        expect(await logsIn(after.database.appUrl!, oldPassword)).toBe(false);
        expect(await logsIn(after.database.appUrl!, newPassword)).toBe(true);
        expect(envFileVars().DATABASE_URL_APP).toBe(after.database.appUrl);
    });

    it("an unknown secret name lists the valid ones", async () => {
        const result = await rotate("--yes", "oidc-secret");
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('unknown secret "oidc-secret"; valid secrets: app-secret-key, authentik-secret-key');
    });

    it("bumping a rotation counter rotates through a plain pulumi up; preview leaves the .env file alone", async () => {
        const before = await revealed();
        await stack.ok("config", "set", "--path", "rotation.app-secret-key", "1");
        const fileBefore = readFileSync(envFilePath, "utf8");
        await stack.ok("preview", "--diff");
        expect(readFileSync(envFilePath, "utf8")).toBe(fileBefore);
        await stack.up();
        const after = await revealed();
        expect(after.appEnv.SECRET_KEY).not.toBe(before.appEnv.SECRET_KEY);
        expect(envFileVars().SECRET_KEY).toBe(after.appEnv.SECRET_KEY);
        await stack.expectNoChanges();
    });

    it("not one generated secret appears in state, engine output (up, preview, refresh) or masked outputs", async () => {
        await stack.ok("refresh", "--yes");
        await stack.ok("preview", "--diff");
        await stack.ok("stack", "export");
        await stack.ok("stack", "output", "--json");
        const secrets = await generatedSecrets();
        expect(secrets.size).toBeGreaterThanOrEqual(8);
        for (const [username, password] of Object.entries((await revealed()).testUserPasswords)) secrets.set(`test user ${username}'s password`, password);
        const everything = stack.log.map((r) => r.stdout + r.stderr).join("\n");
        for (const [name, value] of secrets) {
            expect(value.length, name).toBeGreaterThan(20);
            expect(everything.includes(value), `${name} leaked into engine output or state`).toBe(false);
        }
        expect(everything).not.toContain(server.password);
        expect(everything).not.toContain(authentik.token);
    });

    it("pulumi destroy removes the .env file", async () => {
        await stack.destroy();
        expect(existsSync(envFilePath)).toBe(false);
    });
});
