import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../scripts/lib/pulumi-cli";
import { fixture } from "./fixtures";
import { QUALIFIED, render } from "./scenarios";

/** `npm run preview-comment` on saved previews: output, files, separation, and every kind of bad input. */
describe("npm run preview-comment --json-dir", () => {
    let dir: string;
    let backend: string;
    beforeAll(async () => {
        dir = await mkdtemp(join(tmpdir(), "gatehouse-preview-cli-"));
        backend = await mkdtemp(join(tmpdir(), "gatehouse-preview-backend-"));
    });
    afterAll(async () => {
        await rm(dir, { recursive: true, force: true });
        await rm(backend, { recursive: true, force: true });
    });

    const env = () => ({ ...process.env, PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "unused" });
    const cli = (...args: string[]) => runCommand("npx", ["tsx", "scripts/preview-comment.ts", ...args], { env: env() });
    const save = async (name: string, text: string) => {
        const at = await mkdtemp(join(dir, "case-"));
        await writeFile(join(at, name), text);
        return at;
    };

    it("prints the comment and writes <stack>.md", async () => {
        const at = await save("pvdev.json", fixture("update"));
        const out = join(at, "out");
        const result = await cli("--json-dir", at, "--stack", QUALIFIED, "--out-dir", out);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toBe(render(fixture("update")).markdown);
        expect(await readFile(join(out, "pvdev.md"), "utf8")).toBe(result.stdout);
        expect(result.stderr).toContain(`preview-comment: ${QUALIFIED}: 2 resources change; comment of`);
    });

    it("separates the comments of several stacks, and exits 3 when a preview failed", async () => {
        const at = await save("pvdev.json", fixture("update"));
        await writeFile(join(at, "pvtest.json"), fixture("failed").replaceAll("urn:pulumi:pvdev::", "urn:pulumi:pvtest::"));
        const result = await cli("--json-dir", at, "--stack", QUALIFIED, "--stack", "organization/gatehouse/pvtest");
        expect(result.code).toBe(3);
        const [dev, test] = result.stdout.split("\n--- 8< --- organization/gatehouse/pvtest ---\n\n");
        expect(dev).toContain(`stack="${QUALIFIED}"`);
        expect(test!.split("\n")[0]).toBe('<!-- gatehouse-preview project="gatehouse" stack="organization/gatehouse/pvtest" -->');
        expect(test).toContain("**The preview failed:**");
        expect(result.stderr).toContain("organization/gatehouse/pvtest: the preview FAILED");
    });

    it("refuses a file that is not a preview, an empty preview, a missing file, another stack's preview", async () => {
        const cases: [string, string, string][] = [
            ["pvdev.json", JSON.stringify({ version: 3, deployment: {} }), "pvdev.json is JSON but not a preview"],
            ["pvdev.json", JSON.stringify({ steps: [], changeSummary: {} }), "is an empty preview (no steps, not even the stack's own)"],
            ["other.json", "{}", "no saved preview for stack organization/gatehouse/pvdev: "],
            ["pvdev.json", fixture("update").replaceAll("urn:pulumi:pvdev::", "urn:pulumi:prod::"), "is a preview of stack prod, not pvdev"],
        ];
        for (const [name, text, message] of cases) {
            const result = await cli("--json-dir", await save(name, text), "--stack", QUALIFIED);
            expect(result.code, message).toBe(1);
            expect(result.stderr).toContain(message);
            expect(result.stdout).toBe("");
        }
    });

    it("qualifies a bare stack name through the backend, and says what to do when it cannot", async () => {
        const result = await cli("--json-dir", await save("pvdev.json", fixture("update")), "--stack", "pvdev");
        expect(result.code).toBe(1);
        expect(result.stderr).toContain("stack pvdev does not exist or cannot be read on this backend");
        expect(result.stderr).toContain("give the stack as org/project/stack to use a saved preview without the backend");
        const org = await cli("--json-dir", await save("pvdev.json", fixture("update")), "--stack", "acme/pvdev");
        expect(org.code, org.stderr).toBe(0);
        expect(org.stdout.split("\n")[0]).toBe('<!-- gatehouse-preview project="gatehouse" stack="acme/gatehouse/pvdev" -->');
    });

    it("usage: --stack is required, --config-file takes one stack, --help explains the marker", async () => {
        expect((await cli()).code).toBe(2);
        const two = await cli("--stack", "a", "--stack", "b", "--config-file", "x.yaml");
        expect(two.code).toBe(2);
        expect(two.stderr).toContain("--config-file goes with one --stack");
        const help = await cli("--help");
        expect(help.code).toBe(0);
        expect(help.stdout).toContain('<!-- gatehouse-preview project="<project>" stack="<org>/<project>/<stack>" -->');
    });
});
