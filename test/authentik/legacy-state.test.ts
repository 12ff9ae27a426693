import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_ENV } from "../../infra/authentik/core/connection";
import { INLINE_PROVIDERS_ENV } from "../../infra/authentik/core/provider-package";
import { PulumiStack, runCommand } from "../../scripts/lib/pulumi-cli";
import { FIXTURE_DIR, FIXTURE_PROJECT } from "./engine-stack";
import { startAuthentik, TOKEN, type TestAuthentik } from "./harness";

/**
 * A stack whose state an older Gatehouse wrote, every Authentik resource carrying its provider serialized in full
 * (what `GATEHOUSE_INLINE_PROVIDERS=1` still does), taken over by the provider stubs of core/by-name.ts through the
 * real engine: no changes, no replacements, refresh and destroy with the old closures still in the outputs.
 */

const AUTHENTIK = "pulumi-nodejs:dynamic/authentik:";

describe("state written with full provider closures", () => {
    let ak: TestAuthentik;
    let stack: PulumiStack;

    /** Serialized provider sizes of the Authentik objects in state (lookups, read on every run, aside): inputs and outputs. */
    const providerSizes = async () => {
        const resources = (await stack.resources()) as { type: string; inputs?: { __provider?: string }; outputs?: { __provider?: string } }[];
        const authentik = resources.filter((r) => r.type.startsWith(AUTHENTIK) && !r.type.endsWith("Lookup"));
        return { inputs: authentik.map((r) => r.inputs?.__provider?.length ?? 0), outputs: authentik.map((r) => r.outputs?.__provider?.length ?? 0) };
    };

    beforeAll(async () => {
        ak = await startAuthentik();
        stack = await PulumiStack.create(
            "legacy",
            { authentik: { url: ak.url, prefix: "legacy", title: "Legacy", redirectUri: "http://localhost:5000/oauth/callback", orgs: ["ACR"] } },
            { "authentik.token": TOKEN, clientSecret: "legacy-client-secret-0b7e4c1d9a2f", alicePassword: "alice-Passw0rd-legacy", eddiePassword: "eddie-Passw0rd-legacy" },
            { cwd: FIXTURE_DIR, project: FIXTURE_PROJECT, unsetEnv: [TOKEN_ENV] },
        );
        // The older Gatehouse's up: the same program with every provider serialized in full.
        const args = ["up", "--yes", "--skip-preview", "--stack", stack.stack, "--non-interactive", "--config-file", stack.configFile!];
        const legacy = await runCommand("pulumi", args, { cwd: FIXTURE_DIR, env: { ...stack.environment, [INLINE_PROVIDERS_ENV]: "1" } });
        if (legacy.code !== 0) throw new Error(`legacy up failed:\n${legacy.stdout}\n${legacy.stderr}`);
    });

    afterAll(async () => {
        await stack?.remove();
        await ak?.emulator.stop();
    });

    it("carries the full closures to begin with", async () => {
        const sizes = await providerSizes();
        expect(sizes.inputs.length).toBeGreaterThan(15);
        expect(Math.min(...sizes.inputs, ...sizes.outputs)).toBeGreaterThan(20_000);
    });

    it("previews no change and updates without replacing anything", async () => {
        await stack.expectNoChanges();
        const up = await stack.up("--expect-no-changes");
        expect(up.stdout).not.toMatch(/replace/);
        // The program's inputs now carry stubs; the outputs keep what created them until the object changes.
        const sizes = await providerSizes();
        expect(Math.max(...sizes.inputs)).toBeLessThan(4096);
        expect(Math.min(...sizes.outputs)).toBeGreaterThan(20_000);
    });

    it("refreshes with the old closures, and an update through the stub then carries the stub in its outputs", async () => {
        await stack.refresh();
        await stack.expectNoChanges();
        await stack.ok("config", "set", "--secret", "--path", "alicePassword", "alice-New-Passw0rd-legacy");
        const up = await stack.up();
        expect(up.stdout).not.toMatch(/replace/);
        expect(ak.emulator.checkPassword("alice", "alice-New-Passw0rd-legacy")).toBe(true);
        const alice = ((await stack.resources()) as { urn: string; outputs?: { __provider?: string } }[]).find((r) => r.urn.endsWith("::fixture-directory-user-alice"));
        expect(alice?.outputs?.__provider?.length).toBeLessThan(4096);
        await stack.expectNoChanges();
    });

    it("destroys everything, old closures and stubs alike", async () => {
        await stack.destroy();
        const groups = (await ak.api.get("/core/groups/?page_size=1000")).body.results as { name: string }[];
        expect(groups.map((g) => g.name).filter((n) => n.startsWith("legacy-"))).toEqual([]);
        expect((await ak.api.get("/core/applications/legacy/")).status).toBe(404);
    });
});
