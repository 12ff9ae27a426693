import { writeFile } from "node:fs/promises";
import { join } from "node:path";
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

    it("configures the dynamic provider with the Authentik token alone, and takes over a stack on the engine's default one without replacing anything", async () => {
        type Res = { urn: string; id?: string; type: string; provider?: string; inputs?: Record<string, unknown> };
        const dynamicProviders = (resources: Res[]) => resources.filter((r) => r.type === "pulumi:providers:pulumi-nodejs");
        const exported = JSON.parse(await stack.exportText()) as { deployment: { resources: Res[] } };
        const declared = dynamicProviders(exported.deployment.resources);
        expect(declared.map((r) => r.urn.split("::").pop())).toEqual(["gatehouse-dynamic"]);
        // Not the stack's whole configuration (which the default provider would hold): only the token's key.
        expect(Object.keys(declared[0]!.inputs ?? {})).toEqual(["gatehouse:authentik"]);

        // The state an earlier Gatehouse left: every dynamic resource on the engine's default provider.
        const provider = declared[0]!;
        const defaultUrn = provider.urn.replace(/::gatehouse-dynamic$/, "::default");
        const [from, to] = [`${provider.urn}::${provider.id}`, `${defaultUrn}::${provider.id}`];
        for (const r of exported.deployment.resources) {
            if (r === provider) r.urn = defaultUrn;
            else if (r.provider === from) r.provider = to;
        }
        const file = join(stack.dir!, "default-provider-state.json");
        await writeFile(file, JSON.stringify(exported));
        await stack.ok("stack", "import", "--file", file);

        const preview = await stack.ok("preview", "--diff");
        expect(preview.stdout).not.toMatch(/replace/);
        expect(preview.stdout).toMatch(/\+ 1 to create/);
        await stack.up();
        const after = (await stack.resources()) as Res[];
        const onDeclared = after.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).map((r) => r.provider?.split("::")[3]);
        expect(new Set(onDeclared)).toEqual(new Set(["gatehouse-dynamic"]));
        expect(dynamicProviders(after).map((r) => r.urn.split("::").pop())).toEqual(["gatehouse-dynamic"]);
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
