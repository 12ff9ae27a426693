import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../../scripts/lib/pulumi-cli";

/** The README's first command does what it says: a local stack comes up and its outputs are printed, masked. */
describe("npm run local", () => {
    it("brings up the local stack, prints its outputs with secrets masked, and cleans up", async () => {
        const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
            execFile("npx", ["tsx", "scripts/local.ts"], { cwd: PROJECT_DIR, env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" }, maxBuffer: 32 * 1024 * 1024 }, (error, out, err) =>
                done({ code: error ? 1 : 0, stdout: out, stderr: err }),
            );
        });
        expect(code, stderr).toBe(0);
        expect(stdout).toContain("Outputs of stack `local`");
        expect(stdout).toMatch(/database\s+\{"appUrl":"\[secret\]","name":"acme_local","url":"\[secret\]"\}/);
        expect(stdout).not.toMatch(/postgresql:\/\//);
        expect(stderr).toContain("local stack destroyed");
        expect(stderr).toContain("local stack removed; servers stopped");
    });

    it("explains itself with --help", async () => {
        const stdout = await new Promise<string>((done, fail) =>
            execFile("npx", ["tsx", "scripts/local.ts", "--help"], { cwd: PROJECT_DIR }, (error, out) => (error ? fail(error) : done(out))),
        );
        expect(stdout).toContain("usage: npm run local");
    });
});
