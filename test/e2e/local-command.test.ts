import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_DIR, runCommand } from "../../scripts/lib/pulumi-cli";

/**
 * The README's first commands, as a user runs them: in a copy of the repository with nothing beside it (no
 * `../shared`, which only this repository's CI has), `npm run emulator` serves and `npm run local` brings a stack up,
 * signs its test user in and cleans up.
 */
describe("a fresh copy with nothing beside it", () => {
    // Beside the system's temporary folder (same file system, so node_modules can be hard-linked); nothing else there.
    let base = "";
    let copy = "";

    beforeAll(() => {
        base = mkdtempSync(join(tmpdir(), "gatehouse-fresh-"));
        copy = join(base, "repo");
        const skip = new Set(["node_modules", ".git", ".gatehouse"]);
        cpSync(PROJECT_DIR, copy, { recursive: true, filter: (src) => !skip.has(relative(PROJECT_DIR, src).split("/")[0] ?? "") });
        // The installed packages, hard-linked (same file system): npm ci would take minutes and the network. The
        // install stamp is made newer than the copied lock file, as after an npm ci in the copy.
        try {
            execFileSync("cp", ["-al", join(PROJECT_DIR, "node_modules"), join(copy, "node_modules")]);
        } catch {
            execFileSync("cp", ["-a", join(PROJECT_DIR, "node_modules"), join(copy, "node_modules")]); // another file system
        }
        const now = new Date();
        utimesSync(join(copy, "node_modules", ".package-lock.json"), now, now);
        expect(existsSync(join(base, "shared"))).toBe(false);
    });
    afterAll(() => rmSync(base, { recursive: true, force: true }));

    it("npm run emulator serves the API with the schema from @goauthentik/api", async () => {
        const child = spawn("npm", ["run", "--silent", "emulator", "--", "--token", "fresh-token", "--port", "0"], {
            cwd: copy,
            env: { ...process.env, VITEST: "" },
            // Its own process group: npm does not pass a signal on to the emulator it started (sh → tsx → node).
            detached: true,
        });
        try {
            const url = await new Promise<string>((resolve, reject) => {
                let out = "";
                const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60_000);
                child.stdout.on("data", (chunk: Buffer) => {
                    out += chunk.toString();
                    const m = /listening on (http:\/\/\S+)/.exec(out);
                    if (m) {
                        clearTimeout(timer);
                        resolve(m[1]!);
                    }
                });
                child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
            });
            const res = await fetch(`${url}/api/v3/core/users/?username=akadmin`, { headers: { Authorization: "Bearer fresh-token" } });
            expect(res.status).toBe(200);
        } finally {
            const exited = new Promise((resolve) => child.once("exit", resolve));
            if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
            await exited;
        }
    });

    it("npm run local brings up the local stack, prints its outputs masked, signs the test user in, and cleans up", async () => {
        const { code, stdout, stderr } = await runCommand("npm", ["run", "--silent", "local"], { cwd: copy });
        expect(code, stderr).toBe(0);
        expect(stdout).toContain("Outputs of stack `local`");
        expect(stdout).toMatch(/database\s+\{"appUrl":"\[secret\]","name":"acme_local","url":"\[secret\]"\}/);
        expect(stdout).not.toMatch(/postgresql:\/\//);
        expect(stdout).toContain("alice: access granted");
        expect(stdout).toContain("all 1 test users match the stack");
        expect(stderr).toContain("local stack destroyed");
        expect(stderr).toContain("local stack removed; servers stopped");
    });

    it("npm run local explains itself with --help", async () => {
        const { code, stdout } = await runCommand("npm", ["run", "--silent", "local", "--", "--help"], { cwd: copy });
        expect(code).toBe(0);
        expect(stdout).toContain("usage: npm run local");
    });
});
