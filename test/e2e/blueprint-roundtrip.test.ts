import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../testbed/authentik";
import { CLIENT_SECRET_ENV, testUserPasswordEnv } from "../../infra/blueprint/entries";
import { authentikInventory } from "../harness/authentik-inventory";
import { injectedPostgres } from "../harness/injected";
import { PulumiStack, runCommand } from "../../scripts/lib/pulumi-cli";

/**
 * The round trip: `pulumi up` of one stack against a fresh emulator, and `npm run blueprint` of the same stack
 * imported into another fresh emulator, make the same objects, compared field by field (references by natural key).
 */
describe("a stack's blueprint makes what its `pulumi up` makes", () => {
    const server = injectedPostgres();
    let byPulumi: Emulator;
    let byBlueprint: Emulator;
    let stack: PulumiStack;
    let dir: string;
    let yaml: string;
    const testUsers = [
        { username: "rt-alice", name: "Alice", email: "alice@example.test", groups: ["admins"] },
        { username: "rt-eddie", name: "Eddie", email: "eddie@example.test", groups: ["editors", "org-ACR"] },
    ];

    beforeAll(async () => {
        byPulumi = await startEmulator({ token: "rt-token-pulumi" });
        byBlueprint = await startEmulator({ token: "rt-token-blueprint" });
        dir = await mkdtemp(join(tmpdir(), "gatehouse-blueprint-"));
        stack = await PulumiStack.create(
            "bprt",
            {
                environment: "test",
                app: { name: "bprt", publicUrl: "http://localhost:5000" },
                postgres: { host: server.host, port: server.port, adminUser: server.user },
                authentik: {
                    url: byPulumi.url,
                    groups: { orgs: ["ACR"] },
                    brand: { title: "Round trip", logo: "logo.svg", favicon: "favicon.svg", css: "custom.css" },
                    access: ["admins", "editors"],
                    testUsers,
                },
            },
            { "postgres.adminPassword": server.password, "authentik.token": byPulumi.token },
        );
    });

    afterAll(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.remove();
        await byPulumi?.stop();
        await byBlueprint?.stop();
        if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("pulumi up, then `npm run blueprint` of the same stack file", async () => {
        await stack.up();
        const out = join(dir, "bprt.yaml");
        const rendered = await runCommand("npx", ["tsx", "scripts/blueprint.ts", "--stack", "bprt", "--config-file", stack.configFile!, "--out", out]);
        expect(rendered.code, rendered.stderr).toBe(0);
        yaml = await readFile(out, "utf8");
        expect(yaml).toContain("gatehouse/owner: gatehouse/bprt");
    });

    it("the blueprint holds no secret value", async () => {
        const outputs = (await stack.outputs(true)) as { oidc: { clientSecret: string }; testUserPasswords: Record<string, string> };
        for (const secret of [outputs.oidc.clientSecret, ...Object.values(outputs.testUserPasswords), server.password, byPulumi.token]) expect(yaml).not.toContain(secret);
    });

    it("imported into a fresh emulator, it yields the same objects, field by field", async () => {
        const outputs = (await stack.outputs(true)) as { oidc: { clientSecret: string }; testUserPasswords: Record<string, string> };
        // The worker's environment, where the blueprint's !Env references point (the emulator reads its process's).
        const env: Record<string, string> = { [CLIENT_SECRET_ENV]: outputs.oidc.clientSecret };
        for (const [username, password] of Object.entries(outputs.testUserPasswords)) env[testUserPasswordEnv(username)] = password;
        Object.assign(process.env, env);
        try {
            const form = new FormData();
            form.append("file", new Blob([yaml]), "bprt.yaml");
            const response = await fetch(`${byBlueprint.url}/api/v3/managed/blueprints/import/`, { method: "POST", headers: { Authorization: `Bearer ${byBlueprint.token}` }, body: form });
            const body = (await response.json()) as { success: boolean; logs: { log_level: string; event: string }[] };
            expect(body.logs.filter((l) => l.log_level === "warning")).toEqual([]);
            expect(body.success).toBe(true);
        } finally {
            for (const name of Object.keys(env)) delete process.env[name];
        }
        const [viaPulumi, viaBlueprint] = await Promise.all([authentikInventory(byPulumi.url, byPulumi.token), authentikInventory(byBlueprint.url, byBlueprint.token)]);
        for (const kind of Object.keys(viaPulumi)) expect(viaBlueprint[kind], kind).toEqual(viaPulumi[kind]);
        expect(viaPulumi.groups!.filter((g) => String(g.name).startsWith("bprt-test-"))).toHaveLength(7);
        expect(viaPulumi.bindings!.filter((b) => b.target === "bprt-test")).toHaveLength(2);
        for (const [username, password] of Object.entries(outputs.testUserPasswords)) {
            expect(byPulumi.checkPassword(username, password), username).toBe(true);
            expect(byBlueprint.checkPassword(username, password), username).toBe(true);
        }
    });
});
