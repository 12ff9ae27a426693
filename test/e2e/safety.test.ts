import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../testbed/authentik";
import { RawClient } from "../../testbed/authentik/testing";
import { injectedPostgres, injectedTls } from "../harness/injected";
import { query } from "../harness/pg-client";
import { PROJECT_DIR, PulumiStack, runCommand, type StackSettings } from "../../scripts/lib/pulumi-cli";

/**
 * Issue #11's proof through the real engine: no environment's data is lost by a destroy or touched by another
 * stack — protection and retention of databases and groups, two stacks on one Authentik and one PostgreSQL, adoption
 * that never takes another stack's objects and releases its own on destroy, and rotation in the right order.
 */
describe("safe environments, end to end", () => {
    const server = injectedPostgres();
    let authentik: Emulator;
    let api: RawClient;
    const stacks: PulumiStack[] = [];

    beforeAll(async () => {
        // https and a prod-length token: the qa stack below must pass qa's schema (issue #13).
        authentik = await startEmulator({ token: "safety-token-long-enough-for-qa-stacks", tls: injectedTls() });
        api = new RawClient(authentik.url, authentik.token);
    });
    afterAll(async () => {
        for (const stack of stacks) await stack.remove().catch(() => undefined);
        await authentik?.stop();
    });

    /** A throwaway stack of app `app` in `environment`, with its own PostgreSQL names so test files never meet. */
    async function stack(name: string, environment: string, app: string, extra: Partial<Record<"postgres" | "authentik" | "safety" | "handoff", Record<string, unknown>>> = {}) {
        const settings: StackSettings = {
            environment,
            app: { name: app, publicUrl: "https://app.example" },
            postgres: { host: server.host, port: server.port, adminUser: server.user, ...(environment === "qa" && { sslMode: "verify-full" }), databases: { authentik: `authentik_${name}` }, roles: { authentik: `authentik_${name}` }, ...extra.postgres },
            authentik: { url: authentik.url, ...extra.authentik },
            ...(extra.safety && { safety: extra.safety }),
            ...(extra.handoff && { handoff: extra.handoff }),
        };
        const created = await PulumiStack.create(name, settings, { "postgres.adminPassword": server.password, "authentik.token": authentik.token });
        stacks.push(created);
        return created;
    }
    const databases = async (...names: string[]) =>
        (await query<{ datname: string }>(server, "select datname from pg_database where datname = any($1) order by 1", [names])).map((r) => r.datname);
    const groupNames = async (prefix: string) => ((await api.get(`/core/groups/?search=${prefix}&page_size=100`)).body.results as { name: string }[]).map((g) => g.name).filter((n) => n.startsWith(`${prefix}-`)).sort();
    const ownerUrl = async (s: PulumiStack) => ((await s.outputs(true)).database as { url: string }).url;

    describe("a qa stack", () => {
        let qa: PulumiStack;
        beforeAll(async () => {
            qa = await stack("safeqa", "qa", "safe");
            await qa.up();
            const url = new URL(await ownerUrl(qa));
            const asOwner = { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database: "safe_qa" };
            await query(server, "create table notes (body text)", [], asOwner);
            await query(server, "insert into notes values ('kept through destroy')", [], asOwner);
        });

        it("refuses destroy while its databases and groups are protected, and deletes nothing", async () => {
            const result = await qa.run("destroy", "--yes", "--skip-preview");
            expect(result.code).not.toBe(0);
            expect(result.stdout + result.stderr).toContain("destroy of stack safeqa refused: it protects its data (safety.protect, on by default in qa and prod): database safe_qa, database authentik_safeqa, group safe-qa-super-admins");
            expect(await databases("safe_qa", "authentik_safeqa")).toEqual(["authentik_safeqa", "safe_qa"]);
            expect(await groupNames("safe-qa")).toContain("safe-qa-admins");
            expect((await api.get("/core/applications/safe-qa/")).status).toBe(200);
        });

        it("with protection lifted, destroy keeps the databases (rows and all), their roles and the groups, and says so", async () => {
            await qa.ok("config", "set", "--path", "safety.protect", "false");
            await qa.up();
            const result = await qa.destroy();
            expect(result.stdout).toMatch(/retain/i);
            expect(await databases("safe_qa", "authentik_safeqa")).toEqual(["authentik_safeqa", "safe_qa"]);
            const rows = await query<{ body: string }>(server, "select body from notes", [], { database: "safe_qa" });
            expect(rows.map((r) => r.body)).toEqual(["kept through destroy"]);
            const roles = await query<{ rolname: string }>(server, "select rolname from pg_roles where rolname like 'safe_qa_%' order by 1");
            expect(roles.map((r) => r.rolname)).toEqual(["safe_qa_app", "safe_qa_owner"]);
            expect(await groupNames("safe-qa")).toContain("safe-qa-admins");
            // What is not stateful goes: the application and its provider.
            expect((await api.get("/core/applications/safe-qa/")).status).toBe(404);
        });
    });

    describe("two stacks on one Authentik and one PostgreSQL", () => {
        let dev: PulumiStack;
        let test: PulumiStack;
        const envFileDir = join(".gatehouse", `safety-${process.pid}`);

        beforeAll(async () => {
            dev = await stack("pairdev", "dev", "pair");
            test = await stack("pairtest", "test", "pair", { handoff: { envFile: join(envFileDir, ".env.pair") } });
            await Promise.all([dev.up(), test.up()]);
        });
        afterAll(async () => {
            await rm(join(PROJECT_DIR, envFileDir), { recursive: true, force: true });
        });

        it("both come up, each with its own names", async () => {
            expect(await groupNames("pair-dev")).toContain("pair-dev-admins");
            expect(await groupNames("pair-test")).toContain("pair-test-admins");
            expect((await api.get("/core/applications/pair-dev/")).status).toBe(200);
            expect((await api.get("/core/applications/pair-test/")).status).toBe(200);
            expect(await databases("pair_dev", "pair_test")).toEqual(["pair_dev", "pair_test"]);
        });

        it("adopt never takes over another stack's objects, and says whose they are", async () => {
            const intruder = await stack("pairtwo", "dev", "pairtwo", { authentik: { adopt: true, groups: { prefix: "pair-dev" } } });
            const result = await intruder.run("up", "--yes", "--skip-preview");
            expect(result.code).not.toBe(0);
            expect(result.stdout + result.stderr).toContain("belongs to stack gatehouse/pairdev");
            await intruder.destroy();
            expect(await groupNames("pair-dev")).toContain("pair-dev-admins");
        });

        it("rotating the app role's password updates the role before the URL and the .env file that carry it", async () => {
            const rotated = await runCommand("npx", ["tsx", "scripts/rotate.ts", "--stack", test.stack, "--config-file", test.configFile!, "--yes", "db-app-password"], { env: test.environment });
            expect(rotated.code, rotated.stderr).toBe(0);
            // The engine starts a step only once the steps it depends on are done: the role's update comes first.
            const update = rotated.stderr.slice(rotated.stderr.lastIndexOf("Updating ("));
            const role = update.indexOf("role:Role::gatehouse-postgres-app]");
            const envFile = update.indexOf("EnvFile::gatehouse-handoff-env-file]");
            expect(role, update).toBeGreaterThan(0);
            expect(envFile).toBeGreaterThan(role);
            // And that is by construction: the file's contents depend on the role itself, not just on the password.
            const resources = (JSON.parse(await test.exportText()) as { deployment: { resources: { urn: string; propertyDependencies?: Record<string, string[]> }[] } }).deployment.resources;
            const file = resources.find((r) => r.urn.endsWith("::gatehouse-handoff-env-file"));
            expect(file?.propertyDependencies?.contents).toEqual(expect.arrayContaining([expect.stringMatching(/role:Role::gatehouse-postgres-app$/), expect.stringMatching(/role:Role::gatehouse-postgres-owner$/)]));
        });

        it("destroying one leaves the other intact", async () => {
            await dev.destroy();
            await test.expectNoChanges();
            expect(await groupNames("pair-test")).toContain("pair-test-admins");
            expect((await api.get("/core/applications/pair-test/")).status).toBe(200);
            await test.destroy();
            // dev keeps its database (retained outside local and test); test's is gone.
            expect(await databases("pair_dev", "pair_test")).toEqual(["pair_dev"]);
        });
    });

    it("refuses to change the environment of an existing stack, before anything is renamed", async () => {
        const moving = await stack("envmove", "dev", "moving");
        await moving.up();
        await moving.ok("config", "set", "environment", "test");
        const result = await moving.run("up", "--yes", "--skip-preview");
        expect(result.code).not.toBe(0);
        expect(result.stdout + result.stderr).toContain("this stack is the dev environment; changing it to test would rename every database, role and Authentik object it has");
        expect(await databases("moving_dev", "moving_test")).toEqual(["moving_dev"]);
        expect((await api.get("/core/applications/moving-dev/")).status).toBe(200);
        await moving.ok("config", "set", "environment", "dev");
        await moving.ok("config", "set", "--path", "safety.retainOnDelete", "false");
        await moving.up();
        await moving.destroy();
    });

    it("an object adopted from before Gatehouse is released on destroy, not deleted", async () => {
        const legacy = await api.post("/core/groups/", { name: "legacy-test-admins", attributes: { notes: "made by hand" } });
        expect(legacy.status).toBe(201);
        const adopter = await stack("legacy", "test", "legacy", { authentik: { adopt: true } });
        await adopter.up();
        expect((await api.get(`/core/groups/${legacy.body.pk}/`)).body.attributes).toEqual({ notes: "made by hand", "gatehouse/owner": "gatehouse/legacy" });
        await adopter.destroy();
        const after = await api.get(`/core/groups/${legacy.body.pk}/`);
        expect(after.status).toBe(200);
        expect(after.body.attributes).toEqual({ notes: "made by hand" });
        expect(await groupNames("legacy-test")).toEqual(["legacy-test-admins"]);
    });
});
