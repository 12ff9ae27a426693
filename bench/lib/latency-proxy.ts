import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A proxy that answers every request `latencyMs` late, in front of the emulator (`--latency`): the emulator serves
 * in well under a millisecond, so calls of a parallel client hardly ever overlap there; with a real Authentik's
 * latency they do, and the requests in flight show whether the providers run in parallel or one after another.
 */
export async function latencyProxy(target: string, latencyMs: number): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
    const upstream = new URL(target);
    const server = createServer((req, res) => {
        const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
            setTimeout(() => {
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(res);
            }, latencyMs);
        });
        forward.on("error", () => res.writeHead(502).end());
        req.pipe(forward);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        server,
        stop: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}
