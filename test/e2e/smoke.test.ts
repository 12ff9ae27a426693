import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../testbed/authentik";
import { injectedPostgres } from "../harness/injected";
import { query } from "../harness/pg-client";
import { engineVersion, PulumiStack } from "../../scripts/lib/pulumi-cli";

/**
 * The whole stack program through the real Pulumi engine, against the run's real PostgreSQL 18 and the Authentik
 * emulator: up, a second preview with no changes, drift made in Authentik reported by refresh, destroy leaving
 * nothing behind but what a fresh install has.
 */
describe("smoke: pulumi up / preview / destroy through the real engine", () => {
    const server = injectedPostgres();
    const app = "smoke";
    let stack: PulumiStack;
    let authentik: Emulator;

    beforeAll(async () => {
        authentik = await startEmulator({ token: "smoke-token" });
        console.log(`[e2e] engine ${engineVersion()}, PostgreSQL ${server.version} at ${server.host}:${server.port}`);
        stack = await PulumiStack.create(
            "smoke",
            {
                environment: "test",
                app: { name: app, publicUrl: "http://localhost:5000" },
                postgres: { host: server.host, port: server.port, adminUser: server.user },
                authentik: { url: authentik.url },
            },
            { "postgres.adminPassword": server.password, "authentik.token": authentik.token },
        );
    });

    afterAll(async () => {
        await stack?.remove();
        await authentik?.stop();
    });

    /** Names of every object of the kinds Gatehouse manages, by endpoint. */
    const AUTHENTIK_KINDS = ["core/groups", "core/users", "core/applications", "core/brands", "providers/oauth2", "propertymappings/provider/scope"];
    async function authentikInventory(): Promise<Record<string, string[]>> {
        const inventory: Record<string, string[]> = {};
        for (const kind of AUTHENTIK_KINDS) {
            const res = await fetch(`${authentik.url}/api/v3/${kind}/?page_size=100`, { headers: { Authorization: `Bearer ${authentik.token}` } });
            const body = (await res.json()) as { results: Record<string, unknown>[] };
            inventory[kind] = body.results.map((o) => String(o.name ?? o.username ?? o.domain ?? o.slug)).sort();
        }
        return inventory;
    }
    let seeded: Record<string, string[]>;

    const rolesAndDatabases = async () => ({
        roles: (await query<{ rolname: string }>(server, "select rolname from pg_roles where rolname like 'smoke_test%' or rolname = 'authentik_test' order by 1")).map((r) => r.rolname),
        databases: (await query<{ datname: string }>(server, "select datname from pg_database where datname in ('smoke_test', 'authentik_test') order by 1")).map((r) => r.datname),
    });

    it("pulumi up creates the roles and databases, with RandomPassword passwords that log in", async () => {
        seeded = await authentikInventory();
        await stack.up();
        expect(await rolesAndDatabases()).toEqual({
            roles: ["authentik_test", "smoke_test_app", "smoke_test_owner"],
            databases: ["authentik_test", "smoke_test"],
        });
        const types = (await stack.resources()).map((r) => r.type);
        expect(types).toContain("random:index/randomPassword:RandomPassword");
        expect(types).toContain("postgresql:index/role:Role");

        const outputs = await stack.outputs(true);
        const appUrl = new URL((outputs.database as { appUrl: string }).appUrl);
        const rows = await query<{ who: string }>(server, "select current_user as who", [], {
            user: appUrl.username,
            password: decodeURIComponent(appUrl.password),
            database: appUrl.pathname.slice(1),
        });
        expect(rows[0]?.who).toBe("smoke_test_app");
    });

    it("masks secrets in `pulumi stack output`", async () => {
        const masked = await stack.outputs(false);
        expect((masked.database as { url: string }).url).toBe("[secret]");
    });

    it("a second preview reports no changes", async () => {
        await stack.expectNoChanges();
    });

    it("creates the OIDC application and the groups in Authentik", async () => {
        const inventory = await authentikInventory();
        expect(inventory["core/applications"]).toContain("smoke");
        expect(inventory["core/groups"]).toEqual(expect.arrayContaining(["smoke-test-admins", "smoke-test-editors", "smoke-test-viewers", "smoke-test-super-admins"]));
        expect(inventory["providers/oauth2"]).toContain("smoke-test");
    });

    it("pulumi refresh reports a change made directly in Authentik, and the next up puts it back", async () => {
        const headers = { Authorization: `Bearer ${authentik.token}`, "Content-Type": "application/json" };
        const found = (await (await fetch(`${authentik.url}/api/v3/core/groups/?name=smoke-test-viewers`, { headers })).json()) as { results: { pk: string }[] };
        const pk = found.results[0]!.pk;
        const patched = await fetch(`${authentik.url}/api/v3/core/groups/${pk}/`, { method: "PATCH", headers, body: JSON.stringify({ name: "smoke-test-viewers-renamed-in-ui" }) });
        expect(patched.status).toBe(200);
        const refreshed = await stack.refresh();
        expect(refreshed.stdout).toMatch(/smoke-test-viewers"?\s*=>\s*"?smoke-test-viewers-renamed-in-ui/);
        await stack.up();
        expect((await authentikInventory())["core/groups"]).toContain("smoke-test-viewers");
        await stack.expectNoChanges();
    });

    it("pulumi destroy leaves nothing behind", async () => {
        await stack.destroy();
        expect(await rolesAndDatabases()).toEqual({ roles: [], databases: [] });
        expect(await stack.resources()).toEqual([]);
        expect(await authentikInventory()).toEqual(seeded);
    });
});
