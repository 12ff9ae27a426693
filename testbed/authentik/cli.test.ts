import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..", "..");
const TSX = resolve(ROOT, "node_modules", ".bin", "tsx");
const CLI = resolve(__dirname, "cli.ts");
const env = { ...process.env, VITEST: "" };

describe("npm run emulator (testbed/authentik/cli.ts)", () => {
    it("prints help", () => {
        const res = spawnSync(TSX, [CLI, "--help"], { cwd: ROOT, encoding: "utf8", env });
        expect(res.status).toBe(0);
        expect(res.stdout).toContain("Usage: npm run emulator -- --token <token>");
        expect(res.stdout).toContain("--port");
    });

    it("refuses to start without a token", () => {
        const res = spawnSync(TSX, [CLI, "--port", "0"], { cwd: ROOT, encoding: "utf8", env: { ...env, AUTHENTIK_TOKEN: "" } });
        expect(res.status).toBe(2);
        expect(res.stderr).toContain("--token is required");
    });

    it("prints the URL once listening, serves the API, and stops on SIGTERM", async () => {
        const child = spawn(TSX, [CLI, "--port", "0", "--token", "cli-token"], { cwd: ROOT, env });
        let out = "";
        const url = await new Promise<string>((resolveUrl, reject) => {
            const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
            child.stdout.on("data", (chunk: Buffer) => {
                out += chunk.toString();
                const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolveUrl(m[1] as string);
                }
            });
            child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
        });
        const res = await fetch(`${url}/api/v3/core/users/?username=akadmin`, { headers: { Authorization: "Bearer cli-token" } });
        expect(res.status).toBe(200);
        const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
        child.kill("SIGTERM");
        expect(await exited).toBe(0);
        expect(out).toContain("received SIGTERM, stopping");
    });
});
