import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { injectedPostgres } from "../harness/injected";
import { query } from "../harness/pg-client";
import { engineVersion, PulumiStack } from "../../scripts/lib/pulumi-cli";

/**
 * The foundation's proof: the stack program runs through the real Pulumi engine against the run's real
 * PostgreSQL 18: up, a second preview with no changes, destroy leaving nothing behind.
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

    const rolesAndDatabases = async () => ({
        roles: (await query<{ rolname: string }>(server, "select rolname from pg_roles where rolname like 'smoke_test%' or rolname = 'authentik_test' order by 1")).map((r) => r.rolname),
        databases: (await query<{ datname: string }>(server, "select datname from pg_database where datname in ('smoke_test', 'authentik_test') order by 1")).map((r) => r.datname),
    });

    it("pulumi up creates the roles and databases, with RandomPassword passwords that log in", async () => {
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

    it("pulumi destroy leaves nothing behind", async () => {
        await stack.destroy();
        expect(await rolesAndDatabases()).toEqual({ roles: [], databases: [] });
        expect(await stack.resources()).toEqual([]);
    });
});
