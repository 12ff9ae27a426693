import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { syncCredentials, waitForAuthentik } from "../../infra/runtime/ready";
import { startEmulator, type Emulator } from "../../testbed/authentik";

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
    const server = createTcpServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
    for (const stop of cleanup.splice(0)) await stop();
});

describe("waiting for the runtime's Authentik", () => {
    it("waits for an Authentik that starts late, reporting progress, and returns the token it takes", async () => {
        const port = await freePort();
        const lines: string[] = [];
        let emulator: Emulator | undefined;
        const late = new Promise<void>((resolve) => setTimeout(() => void startEmulator({ token: "bootstrap-token", port }).then((ak) => ((emulator = ak), resolve())), 1500));
        cleanup.push(async () => {
            await late;
            await emulator?.stop();
        });
        const started = Date.now();
        const taken = await waitForAuthentik({ url: `http://127.0.0.1:${port}/`, tokens: ["bootstrap-token"], deadlineMs: 20_000, intervalMs: 200, log: (line) => lines.push(line), progressEveryMs: 500 });
        expect(taken).toBe("bootstrap-token");
        expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
        expect(lines[0]).toMatch(new RegExp(`^waiting for Authentik at http://127\\.0\\.0\\.1:${port} \\(\\d+ s of 20 s\\): ECONNREFUSED$`));
        expect(emulator?.log.some((entry) => entry.path === "/api/v3/core/users/me/" && entry.status === 200)).toBe(true);
    });

    it("keeps waiting while the API refuses the token (the worker has not created it yet)", async () => {
        const ak = await startEmulator({ token: "not-yet-the-bootstrap-token" });
        cleanup.push(() => ak.stop());
        await expect(waitForAuthentik({ url: ak.url, tokens: ["bootstrap-token"], deadlineMs: 1500, intervalMs: 200 })).rejects.toThrow(
            new RegExp(`^Authentik at ${ak.url.replace(/[.]/g, "\\.")} did not answer within 2 s \\(last: HTTP 403: the API answers but does not take the bootstrap token yet`),
        );
    });

    it("gives up at the deadline on an Authentik that never answers, naming the URL", async () => {
        const port = await freePort();
        const url = `http://127.0.0.1:${port}`;
        const started = Date.now();
        await expect(waitForAuthentik({ url, tokens: ["t"], deadlineMs: 1200, intervalMs: 200 })).rejects.toThrow(
            `Authentik at ${url} did not answer within 1 s (last: ECONNREFUSED); is the runtime's server container running? See \`docker logs\` of its server and worker`,
        );
        expect(Date.now() - started).toBeLessThan(5000);
    });

    it("gives up at the deadline on a server that accepts connections and never replies", async () => {
        const silent: TcpServer = createTcpServer(() => undefined);
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        const sockets = new Set<import("node:net").Socket>();
        silent.on("connection", (socket) => sockets.add(socket));
        cleanup.push(() => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), silent.close(() => resolve()))));
        const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
        await expect(waitForAuthentik({ url, tokens: ["t"], deadlineMs: 1500, intervalMs: 100 })).rejects.toThrow(`Authentik at ${url} did not answer within 2 s (last: no answer within the attempt's timeout)`);
    });
});

describe("rotating the bootstrap credentials of a running Authentik", () => {
    it("sets the new token key with the old token, then akadmin's new password", async () => {
        const calls: string[] = [];
        let key = "old-token";
        const server: Server = createServer((req, res) => {
            let body = "";
            req.on("data", (chunk) => (body += chunk));
            req.on("end", () => {
                calls.push(`${req.method} ${req.url} ${req.headers.authorization === `Bearer ${key}` ? "ok" : "refused"} ${body}`);
                if (req.headers.authorization !== `Bearer ${key}`) return res.writeHead(403).end('{"detail":"Token invalid/expired"}');
                if (req.url === "/api/v3/core/users/me/") return res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
                if (req.url === "/api/v3/core/tokens/authentik-bootstrap-token/set_key/") {
                    key = (JSON.parse(body) as { key: string }).key;
                    return res.writeHead(204).end();
                }
                if (req.url === "/api/v3/core/users/?username=akadmin") return res.writeHead(200, { "Content-Type": "application/json" }).end('{"results":[{"pk":7,"username":"akadmin"}]}');
                if (req.url === "/api/v3/core/users/7/set_password/") return res.writeHead(204).end();
                return res.writeHead(404).end();
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const common = { url, deadlineSeconds: 5, intervalMs: 100, after: [] };
        await syncCredentials({ ...common, token: "new-token", bootstrapPassword: "new-password" }, { ...common, token: "old-token", bootstrapPassword: "old-password" }, () => undefined);
        expect(key).toBe("new-token");
        expect(calls).toEqual([
            "GET /api/v3/core/users/me/ refused ",
            "GET /api/v3/core/users/me/ ok ",
            'POST /api/v3/core/tokens/authentik-bootstrap-token/set_key/ ok {"key":"new-token"}',
            "GET /api/v3/core/users/?username=akadmin ok ",
            'POST /api/v3/core/users/7/set_password/ ok {"password":"new-password"}',
        ]);
    });
});
