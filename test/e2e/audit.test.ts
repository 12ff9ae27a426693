import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../testbed/authentik";
import { startPostgres, type RunningPostgres } from "../../testbed/services/postgres";
import { makeTestCertificates, type TestCertificates } from "../../testbed/services/tls";
import { query } from "../harness/pg-client";
import { CHECKLIST } from "../../scripts/lib/audit/catalogue";
import type { AuditReport } from "../../scripts/lib/audit/report";
import { plainValue } from "../../scripts/lib/audit/stack-view";
import { PulumiStack, runCommand } from "../../scripts/lib/pulumi-cli";

/**
 * Issue #13's proof through the real engine: `npm run audit` against prod stacks on a PostgreSQL of this file's own
 * (TLS, verify-full) and two https Authentik emulators. A stack as Gatehouse makes it passes every item; an unsafe
 * one, built the same way and then broken through the PostgreSQL and Authentik APIs, fails exactly what was broken.
 */
describe("audit end to end", () => {
    let tls: TestCertificates;
    let server: RunningPostgres;
    let safeAk: Emulator;
    let badAk: Emulator;
    let safe: PulumiStack;
    let bad: PulumiStack;
    let repo: string;
    const stacks: PulumiStack[] = [];
    const tokenOf = (name: string) => `${name}-token-long-enough-for-prod-0123456789`;

    /** A JSON API call to an https emulator, trusting the test bed's CA (this process started without it). */
    function api(ak: Emulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
        return new Promise((resolve, reject) => {
            const req = request(`${ak.url}/api/v3${path}`, { method, ca: readFileSync(tls.caFile), headers: { Authorization: `Bearer ${ak.token}`, "Content-Type": "application/json" } }, (res) => {
                let text = "";
                res.on("data", (c: Buffer) => (text += c.toString()));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
            });
            req.on("error", reject);
            if (body !== undefined) req.write(JSON.stringify(body));
            req.end();
        });
    }
    const first = async (ak: Emulator, path: string) => ((await api(ak, "GET", path)).body.results as Record<string, unknown>[])[0]!;

    async function prodStack(name: string, app: string, ak: Emulator): Promise<PulumiStack> {
        const created = await PulumiStack.create(
            name,
            {
                environment: "prod",
                app: { name: app, publicUrl: `https://${app}.example` },
                postgres: { host: server.host, port: server.port, adminUser: server.user, sslMode: "verify-full", databases: { authentik: `authentik_${app}` }, roles: { authentik: `authentik_${app}` } },
                authentik: { url: ak.url },
            },
            { "postgres.adminPassword": server.password, "authentik.token": ak.token },
        );
        stacks.push(created);
        return created;
    }

    async function audit(stack: PulumiStack, ...args: string[]) {
        return runCommand("npx", ["tsx", "scripts/audit.ts", "--stack", stack.stack, "--config-file", stack.configFile!, ...args], { env: stack.environment });
    }
    const failed = (r: AuditReport) => r.items.filter((i) => i.status === "fail").map((i) => i.id).sort();

    beforeAll(async () => {
        tls = makeTestCertificates();
        // The engine, its providers (Node's fetch, pgx) and the audit trust the test bed's CA, as a user's would trust theirs.
        process.env.NODE_EXTRA_CA_CERTS = tls.caFile;
        process.env.PGSSLROOTCERT = tls.caFile;
        server = await startPostgres({ tls });
        safeAk = await startEmulator({ token: tokenOf("safe"), tls, tokenUser: "gatehouse-provisioner" });
        badAk = await startEmulator({ token: tokenOf("bad"), tls });
        safe = await prodStack("auditsafe", "ausafe", safeAk);
        bad = await prodStack("auditbad", "aubad", badAk);
        await Promise.all([safe.up(), bad.up()]);
        // The operator's part on the safe Authentik: the default flow's MFA stage denies users without a device.
        const mfa = await first(safeAk, "/stages/authenticator/validate/?name=default-authentication-mfa-validation");
        expect((await api(safeAk, "PATCH", `/stages/authenticator/validate/${String(mfa.pk)}/`, { not_configured_action: "deny" })).status).toBe(200);
        repo = await mkdtemp(join(tmpdir(), "gatehouse-audit-repo-"));
    });

    afterAll(async () => {
        for (const stack of stacks) await stack.remove().catch(() => undefined);
        await safeAk?.stop();
        await badAk?.stop();
        await server?.stop();
        if (repo) await rm(repo, { recursive: true, force: true });
        if (tls) await rm(tls.dir, { recursive: true, force: true });
    });

    it("a prod stack built through the engine passes every item", async () => {
        const result = await audit(safe, "--live", "--json");
        const parsed = JSON.parse(result.stdout) as AuditReport;
        expect(failed(parsed), result.stdout).toEqual([]);
        expect(result.code, result.stderr).toBe(0);
        const live = CHECKLIST.filter((i) => i.mapping === "audit-live").map((i) => i.id);
        // Every live item ran and passed on prod (RF-05 is n/a: the stack hands off no env file).
        expect(parsed.items.filter((i) => live.includes(i.id) && i.status !== "pass").map((i) => `${i.id} ${i.detail}`)).toEqual([]);
        expect(parsed.items.find((i) => i.id === "SQ-06")?.detail).toBe("flow default-authentication-flow, stage default-authentication-mfa-validation (order 30): not_configured_action deny");
        expect(parsed.items.find((i) => i.id === "SQ-08")?.detail).toBe("the token belongs to gatehouse-provisioner, not a superuser");
    });

    it("prints one item a line in --json: stack, environment, live, summary and items of id, item, mapping, status, detail", async () => {
        const parsed = JSON.parse((await audit(safe, "--json")).stdout) as AuditReport;
        expect(Object.keys(parsed)).toEqual(["stack", "environment", "live", "summary", "items"]);
        expect(parsed).toMatchObject({ stack: "auditsafe", environment: "prod", live: false });
        expect(parsed.items.map((i) => i.id)).toEqual(CHECKLIST.map((i) => i.id));
        for (const item of parsed.items) expect(Object.keys(item)).toEqual(["id", "item", "mapping", "status", "detail"]);
        expect(parsed.items.find((i) => i.id === "RF-13")).toMatchObject({ status: "n/a", detail: "a live check: run with --live" });
        expect(parsed.summary.pass + parsed.summary.fail + parsed.summary["n/a"]).toBe(CHECKLIST.length);
    });

    it("an unsafe prod stack, broken through the APIs, fails exactly the broken items", async () => {
        // PostgreSQL: the app role may bypass RLS; the owner reaches the safe stack's database.
        await query(server, "alter role aubad_prod_app bypassrls");
        await query(server, "grant connect on database ausafe_prod to aubad_prod_owner");
        // Authentik: a foreign group bound to the app; wider grants, a regex redirect URI, no signing key on the
        // provider; a superuser group; a seeded user left in prod. The token is akadmin's; the MFA stage still skips.
        const application = (await api(badAk, "GET", "/core/applications/aubad/")).body;
        const admins = await first(badAk, "/core/groups/?name=authentik%20Admins");
        expect((await api(badAk, "POST", "/policies/bindings/", { group: admins.pk, target: application.pk, order: 99 })).status).toBe(201);
        const provider = await first(badAk, "/providers/oauth2/?name=aubad");
        const uris = [...(provider.redirect_uris as object[]), { matching_mode: "regex", url: "https://aubad\\.example/.*", redirect_uri_type: "authorization" }];
        const patched = await api(badAk, "PATCH", `/providers/oauth2/${String(provider.pk)}/`, { grant_types: ["authorization_code", "refresh_token", "client_credentials"], redirect_uris: uris, signing_key: null });
        expect(patched.status).toBe(200);
        const superAdmins = await first(badAk, "/core/groups/?name=aubad-super-admins");
        expect((await api(badAk, "PATCH", `/core/groups/${String(superAdmins.pk)}/`, { is_superuser: true })).status).toBe(200);
        expect((await api(badAk, "POST", "/core/users/", { username: "leftover", name: "Left Over", attributes: { "gatehouse/owner": "gatehouse/auditbad" } })).status).toBe(201);
        // State: the client secret made 200 days ago (as an old state would say).
        const state = JSON.parse(await bad.exportText()) as { deployment: { resources: { urn: string; created?: string }[] } };
        const secret = state.deployment.resources.find((r) => r.urn.endsWith("-secrets-oidc-client-secret"))!;
        secret.created = new Date(Date.now() - 200 * 86_400_000).toISOString();
        const file = join(repo, "..", `${process.pid}-auditbad-state.json`);
        await writeFile(file, JSON.stringify(state));
        await bad.ok("stack", "import", "--file", file);
        await rm(file, { force: true });
        // Git: the client secret committed to the repository searched.
        const clientSecret = ((await bad.outputs(true)).oidc as { clientSecret: string }).clientSecret;
        const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.test", ...args], { stdio: "ignore" });
        git("init", "--quiet");
        await writeFile(join(repo, ".env.prod"), `OIDC_CLIENT_SECRET=${clientSecret}\n`);
        git("add", "-f", ".env.prod");
        git("commit", "--quiet", "-m", "oops");

        const result = await audit(bad, "--live", "--json", "--repo", repo);
        expect(result.code).toBe(1);
        const parsed = JSON.parse(result.stdout) as AuditReport;
        expect(failed(parsed), result.stdout).toEqual(["AU-11", "AU-22", "RA-02", "RA-04", "RA-07", "RA-10", "RF-15", "SA-09", "SQ-06", "SQ-07", "SQ-08", "SQ-19", "SQ-44", "SQ-45"]);
        const detail = (id: string) => parsed.items.find((i) => i.id === id)?.detail;
        expect(detail("RF-15")).toBe("aubad_prod_app has BYPASSRLS");
        expect(detail("AU-11")).toBe("roles reach databases not their own: aubad_prod_owner → ausafe_prod");
        expect(detail("SQ-07")).toBe("application aubad is also bound to group authentik Admins");
        expect(detail("RA-02")).toBe("provider aubad allows authorization_code, refresh_token, client_credentials; declared: authorization_code, refresh_token");
        expect(detail("RA-07")).toBe("1 redirect URI(s) matched by regex, not strictly: https://aubad\\.example/.*");
        expect(detail("RA-04")).toBe("provider aubad has no signing key: Authentik signs its tokens HS256 with the client secret");
        expect(detail("SQ-45")).toBe("superuser group(s): aubad-super-admins");
        expect(detail("RA-10")).toBe("user(s) seeded by this stack: leftover");
        expect(detail("SQ-06")).toBe("flow default-authentication-flow, stage default-authentication-mfa-validation (order 30): not_configured_action skip lets users without an authenticator through");
        expect(detail("SQ-08")).toBe("the token belongs to akadmin, a superuser: give Gatehouse a token with only the permissions it needs (README)");
        expect(detail("SQ-19")).toBe("oidc-client-secret is 200 days old (rotation.maxAgeDays 90): npm run rotate -- --stack auditbad <secret>");
        expect(detail("SA-09")).toBe("in the git history: oidc-client-secret; rotate them (npm run rotate; a supplied one where it was made)");
    });

    it("audit output contains no secret value of the stack", async () => {
        const exported = JSON.parse(await bad.exportText(true)) as { deployment: { resources: { type: string; outputs?: { result?: unknown } }[] } };
        const values = [
            ...exported.deployment.resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword").map((r) => plainValue(r.outputs!.result) as string),
            server.password,
            badAk.token,
        ];
        expect(values.length).toBeGreaterThan(7);
        for (const value of values) expect(typeof value === "string" && value.length >= 24).toBe(true);
        for (const args of [["--live"], ["--live", "--json", "--repo", repo], []]) {
            const result = await audit(bad, ...args);
            expect(result.stdout).toMatch(/^(fail|pass|n\/a)|^\{/m);
            for (const value of values) {
                expect(result.stdout.includes(value), `a secret in stdout of audit ${args.join(" ")}`).toBe(false);
                expect(result.stderr.includes(value), `a secret in stderr of audit ${args.join(" ")}`).toBe(false);
            }
        }
    });

    it("audit fails a dev stack whose env file git would not ignore, from config alone", async () => {
        const dev = await PulumiStack.create(
            "auditcfg",
            {
                environment: "dev",
                app: { name: "aucfg", publicUrl: "http://localhost:5000" },
                postgres: { host: server.host, port: server.port },
                authentik: { url: safeAk.url },
                handoff: { envFile: "notes/aucfg-handoff.env" },
            },
            { "postgres.adminPassword": server.password, "authentik.token": safeAk.token },
        );
        stacks.push(dev);
        const result = await audit(dev);
        expect(result.code).toBe(1);
        const lines = result.stdout.split("\n");
        expect(lines.filter((l) => l.startsWith("fail"))).toEqual(["fail  RF-05  Never commit .env files with secrets — git would not ignore handoff.envFile, which holds the app's secrets: add it to .gitignore"]);
        expect(lines).toContain("n/a   RF-01  Use HTTPS (reverse proxy or TLS termination) — refused in qa and prod only (this stack is dev)");
        expect(lines).toContain("pass  RF-02  Set strong SECRET_KEY — by construction: SECRET_KEY is a generated 64-character RandomPassword, never typed");
        expect(lines.at(-2)).toMatch(/^\d+ passed, 1 failed, \d+ n\/a \(stack auditcfg, dev, config only\)$/);
    });
});
