import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../testbed/authentik";
import { injectedPostgres } from "../harness/injected";
import { PROJECT_DIR, PulumiStack, runCommand } from "../../scripts/lib/pulumi-cli";
import type { JsonValue } from "../../scripts/lib/preview/model";
import { CAPTURE_STACK, EXPECT, QUALIFIED, render, type Scenario } from "./scenarios";
import { FIXTURE_DIR, normalizeFixture } from "./fixtures";

/**
 * Issue #12's proof through the real engine: previews of one dev stack (first create, an update of redirect URIs,
 * grants and memberships, a rotation, deletions, a protected database touched, a failed preview) render the comments
 * reviewers need; a rotation preview lists exactly what the following `up` changes; no generated secret reaches a
 * comment. With GATEHOUSE_PREVIEW_FIXTURES=write the captures become test/preview/fixtures/ (see its README).
 */
describe("pull-request previews from the real engine", () => {
    const server = injectedPostgres();
    const envFileDir = join(".gatehouse", `preview-${process.pid}`);
    const captured = new Map<Scenario, string>();
    /** Every secret value the stack has held, from `stack export --show-secrets` after each update. */
    const secrets = new Set<string>();
    let authentik: Emulator;
    let stack: PulumiStack;

    beforeAll(async () => {
        authentik = await startEmulator({ token: "preview-capture-token" });
        stack = await PulumiStack.create(
            CAPTURE_STACK,
            {
                environment: "dev",
                app: { name: "pv", publicUrl: "http://localhost:5000" },
                postgres: { host: server.host, port: server.port, adminUser: server.user, databases: { authentik: "authentik_pvdev" }, roles: { authentik: "authentik_pvdev" } },
                authentik: {
                    url: authentik.url,
                    groups: { orgs: ["ACR", "BCD"] },
                    testUsers: [
                        { username: "eddie", name: "Eddie Editor", email: "eddie@example.test", groups: ["editors", "org-ACR"] },
                        { username: "vic", name: "Vic Viewer", email: "vic@example.test", groups: ["viewers"] },
                    ],
                },
                handoff: { envFile: join(envFileDir, ".env.pv") },
            },
            { "postgres.adminPassword": server.password, "authentik.token": authentik.token },
        );
        secrets.add(server.password).add(authentik.token);
    });

    afterAll(async () => {
        if (stack) {
            await stack.run("config", "set", "--path", "gatehouse:safety.protect", "false");
            await stack.run("config", "rm", "--path", "gatehouse:postgres.databases.app");
            await stack.run("up", "--yes", "--skip-preview");
            await stack.destroy().catch(() => undefined);
            await stack.remove();
        }
        await authentik?.stop();
        await rm(join(PROJECT_DIR, envFileDir), { recursive: true, force: true });
    });

    async function collectSecrets(): Promise<void> {
        const exported = JSON.parse(await stack.exportText(true)) as JsonValue;
        stack.log.pop(); // plaintext on purpose: keep it out of the command log
        const walk = (value: JsonValue | undefined): void => {
            if (Array.isArray(value)) value.forEach(walk);
            else if (value !== null && typeof value === "object") {
                // A secret's own value; an object made secret as a whole also holds plain values (client ids, hosts).
                const plain = typeof value.plaintext === "string" ? (JSON.parse(value.plaintext) as JsonValue) : undefined;
                if (typeof plain === "string" && plain.length >= 8) secrets.add(plain);
                Object.values(value).forEach(walk);
            }
        };
        walk(exported);
    }

    const set = (path: string, value: string) => stack.ok("config", "set", "--path", `gatehouse:${path}`, value);
    async function capture(scenario: Scenario, ...args: string[]) {
        const result = await stack.run("preview", "--json", "--show-sames", ...args);
        captured.set(scenario, result.stdout);
        EXPECT[scenario](render(result.stdout));
        return result;
    }
    async function upAndCollect(...args: string[]) {
        await stack.up(...args);
        await collectSecrets();
    }

    it("a first create: every resource to create, nothing to warn about", async () => {
        expect((await capture("first-create")).code).toBe(0);
        await upAndCollect();
    });

    it("an update of redirect URIs, grant types and group memberships, in words", async () => {
        await set("app.redirectUris[0]", "http://localhost:5000/oauth/callback");
        await set("app.redirectUris[1]", "http://localhost:5000/other/callback");
        await set("authentik.oidc.grantTypes[0]", "authorization_code");
        await set("authentik.oidc.grantTypes[1]", "refresh_token");
        await set("authentik.oidc.grantTypes[2]", "client_credentials");
        await set("authentik.testUsers[0].groups[2]", "viewers");
        expect((await capture("update")).code).toBe(0);
        await upAndCollect();
    });

    it("a rotation preview lists exactly the resources the following up changes (no phantom application or bindings)", async () => {
        await set("rotation.db-app-password", "1");
        const urn = (await stack.resources()).find((r) => r.urn.endsWith("-secrets-oidc-client-secret"))!.urn;
        const preview = await capture("rotation", "--replace", urn);
        expect(preview.code).toBe(0);
        const up = await stack.ok("up", "--yes", "--skip-preview", "--json", "--replace", urn);
        await collectSecrets();
        expect(changedInUp(up.stdout)).toEqual(changedInPreview(preview.stdout));
        expect(changedInPreview(preview.stdout)).toEqual([
            "replace gatehouse-secrets-db-app-password",
            "replace gatehouse-secrets-oidc-client-secret",
            "update gatehouse-handoff-env-file",
            "update gatehouse-oidc-provider",
            "update gatehouse-postgres-app",
        ]);
    });

    it("a deletion of a user and of group bindings, warned about at the top", async () => {
        await stack.ok("config", "rm", "--path", "gatehouse:authentik.testUsers[1]");
        await set("authentik.access[0]", "admins");
        await set("authentik.access[1]", "editors");
        await set("authentik.access[2]", "viewers");
        expect((await capture("deletion")).code).toBe(0);
        await upAndCollect();
    });

    it("a protected database touched, warned about", async () => {
        await set("safety.protect", "true");
        await upAndCollect();
        await set("postgres.databases.app", "pv_renamed");
        expect((await capture("protected")).code).toBe(0);
    });

    it("a failed preview: the engine's error in the comment", async () => {
        await stack.ok("config", "rm", "--path", "gatehouse:authentik.groups.orgs[1]");
        expect((await capture("failed")).code).not.toBe(0);
        await set("authentik.groups.orgs[1]", "BCD");
        await stack.ok("config", "rm", "--path", "gatehouse:postgres.databases.app");
    });

    it("no generated secret appears in any preview, comment or fixture", () => {
        expect(captured.size).toBe(6);
        expect(secrets.size).toBeGreaterThan(8);
        for (const [scenario, json] of captured) {
            const texts = { json, comment: render(json).markdown, withOutputs: render(json, true).markdown, fixture: normalizeFixture(json) };
            for (const [what, text] of Object.entries(texts)) {
                for (const secret of secrets) expect(text.includes(secret), `${scenario} ${what} holds a secret of ${secret.length} characters`).toBe(false);
            }
        }
    });

    it("npm run preview-comment previews the live stack and marks the comment with org/project/stack", async () => {
        const out = await mkdtemp(join(tmpdir(), "gatehouse-preview-"));
        try {
            const result = await runCommand("npx", ["tsx", "scripts/preview-comment.ts", "--stack", stack.stack, "--config-file", stack.configFile!, "--out-dir", out], { env: stack.environment });
            expect(result.code, result.stderr).toBe(0);
            expect(result.stdout.split("\n")[0]).toBe(`<!-- gatehouse-preview project="gatehouse" stack="${QUALIFIED}" -->`);
            expect(result.stdout).toContain("No changes: the stack is up to date.");
            expect(readFileSync(join(out, `${CAPTURE_STACK}.md`), "utf8")).toBe(result.stdout);
            for (const secret of secrets) expect(result.stdout.includes(secret)).toBe(false);
        } finally {
            await rm(out, { recursive: true, force: true });
        }
    });

    it("a stack that does not exist is a clear error and a non-zero exit", async () => {
        const result = await runCommand("npx", ["tsx", "scripts/preview-comment.ts", "--stack", "nosuchstack"], { env: stack.environment });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain("preview-comment: nosuchstack: stack nosuchstack does not exist or cannot be read on this backend: error: no stack named 'nosuchstack' found");
    });

    it.runIf(process.env.GATEHOUSE_PREVIEW_FIXTURES === "write")("writes the captures as fixtures", async () => {
        for (const [scenario, json] of captured) await writeFile(join(FIXTURE_DIR, `${scenario}.json`), normalizeFixture(json));
    });
});

/** `<op> <name>` of every resource a preview changes (replacement steps folded into `replace`). */
function changedInPreview(json: string): string[] {
    const steps = (JSON.parse(json) as { steps: { op: string; urn: string }[] }).steps;
    return normalize(steps.map((s) => ({ op: s.op, urn: s.urn })));
}

/** The same for the event stream of `pulumi up --json`. */
function changedInUp(stream: string): string[] {
    const events = stream.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as { resOutputsEvent?: { metadata: { op: string; urn: string } } });
    return normalize(events.flatMap((e) => (e.resOutputsEvent ? [e.resOutputsEvent.metadata] : [])));
}

function normalize(steps: { op: string; urn: string }[]): string[] {
    const ops = new Map<string, string>();
    for (const { op, urn } of steps) {
        if (op === "same" || op === "read" || urn.includes("::pulumi:pulumi:Stack::")) continue;
        ops.set(urn, ["create-replacement", "delete-replaced", "replace"].includes(op) ? "replace" : op);
    }
    return [...ops].map(([urn, op]) => `${op} ${urn.slice(urn.lastIndexOf("::") + 2)}`).sort();
}
