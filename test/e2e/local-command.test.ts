import { describe, expect, it } from "vitest";
import { runCommand } from "../../scripts/lib/pulumi-cli";

/** The README's first command does what it says: a local stack comes up and its outputs are printed, masked. */
describe("npm run local", () => {
    it("brings up the local stack, prints its outputs with secrets masked, and cleans up", async () => {
        const { code, stdout, stderr } = await runCommand("npx", ["tsx", "scripts/local.ts"], { env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
        expect(code, stderr).toBe(0);
        expect(stdout).toContain("Outputs of stack `local`");
        expect(stdout).toMatch(/database\s+\{"appUrl":"\[secret\]","name":"acme_local","url":"\[secret\]"\}/);
        expect(stdout).not.toMatch(/postgresql:\/\//);
        expect(stderr).toContain("local stack destroyed");
        expect(stderr).toContain("local stack removed; servers stopped");
    });

    it("explains itself with --help", async () => {
        const { code, stdout } = await runCommand("npx", ["tsx", "scripts/local.ts", "--help"]);
        expect(code).toBe(0);
        expect(stdout).toContain("usage: npm run local");
    });
});
