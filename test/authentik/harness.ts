import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type * as pulumi from "@pulumi/pulumi";
import { vi } from "vitest";
import { startEmulator, type Emulator } from "../../testbed/authentik";
import { RawClient } from "../../testbed/authentik/testing";
import { TOKEN_ENV, type RetryPolicy } from "../../infra/authentik/core/connection";
import type { KindDefinition } from "../../infra/authentik/core/kind";
import { crudProvider } from "../../infra/authentik/core/provider";

export const TOKEN = "gatehouse-test-token-5f1c9a";

/** Retries fast enough for tests; the policy itself is the production one with smaller numbers. */
export const FAST_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 10, maxDelayMs: 40, timeoutMs: 400 };

export interface TestAuthentik {
    readonly emulator: Emulator;
    /** Raw JSON access, to change objects behind Pulumi's back. */
    readonly api: RawClient;
    readonly url: string;
}

/** An emulated Authentik with a fresh install's objects; the provider process's token comes from the environment. */
export async function startAuthentik(): Promise<TestAuthentik> {
    const emulator = await startEmulator({ token: TOKEN });
    process.env[TOKEN_ENV] = TOKEN;
    return { emulator, api: new RawClient(emulator.url, TOKEN), url: emulator.url };
}

/** The provider of a kind, as the engine would run it, with test-sized retries. */
export function providerFor<F extends object, R, B>(kind: KindDefinition<F, R, B>): Required<Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">> {
    const provider = crudProvider(kind, { retry: FAST_RETRY });
    return provider as Required<typeof provider>;
}

/** Runs a provider's check and create as the engine does; returns id and state. */
export async function create(provider: ReturnType<typeof providerFor>, inputs: Record<string, unknown>): Promise<{ id: string; state: Record<string, unknown>; inputs: Record<string, unknown> }> {
    const checked = await provider.check({}, inputs);
    if (checked.failures !== undefined && checked.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
    const result = await provider.create(checked.inputs);
    return { id: result.id, state: result.outs as Record<string, unknown>, inputs: checked.inputs as Record<string, unknown> };
}

export interface SentRequest {
    readonly method: string;
    readonly path: string;
    readonly body: unknown;
}

/**
 * Requests as the client sent them, bodies included (the emulator's log records method, path and status only).
 * Records calls to the global `fetch`, which the provider's retrying fetch uses.
 */
export function recordRequests(): { readonly sent: SentRequest[]; stop(): void } {
    const sent: SentRequest[] = [];
    const original = globalThis.fetch;
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: string | URL | Request, init?: RequestInit) => {
        const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
        const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : init?.body === undefined ? undefined : "(form data)";
        sent.push({ method: init?.method ?? "GET", path: url.pathname, body });
        return original(input, init);
    });
    return { sent, stop: () => spy.mockRestore() };
}

/**
 * 503; never answer (timeout); drop the connection; forward, then drop the connection (the answer is lost);
 * forward, then never answer (the object exists, the caller waits).
 */
export type Fault = "503" | "hang" | "reset" | "lost" | "blackhole";

/**
 * A proxy in front of the emulator that answers the next requests matching `when` with faults (one per request,
 * in order), then forwards. For timeouts, 5xx and dropped connections, which a healthy emulator never produces.
 */
export async function faultyProxy(target: string): Promise<{ url: string; inject(faults: Fault[], when?: (method: string, path: string) => boolean): void; seen: string[]; stop(): Promise<void> }> {
    let pending: Fault[] = [];
    let matches: (method: string, path: string) => boolean = () => true;
    const seen: string[] = [];
    const upstream = new URL(target);
    const server: Server = createServer((req: IncomingMessage, res) => {
        const method = req.method ?? "GET";
        const path = req.url ?? "/";
        seen.push(`${method} ${path}`);
        const fault = matches(method, path) ? pending.shift() : undefined;
        if (fault === "503") {
            res.writeHead(503, { "Content-Type": "text/html" }).end("<h1>503 Service Unavailable</h1>");
            return;
        }
        if (fault === "hang") return; // never answers: the client's timeout fires
        if (fault === "reset") {
            req.socket.destroy();
            return;
        }
        const forward = httpRequest(
            { host: upstream.hostname, port: upstream.port, method, path, headers: req.headers },
            (answer) => {
                if (fault === "lost" || fault === "blackhole") {
                    answer.resume();
                    if (fault === "lost") answer.on("end", () => req.socket.destroy());
                    return;
                }
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(res);
            },
        );
        req.pipe(forward);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        seen,
        inject(faults, when = () => true) {
            pending = [...faults];
            matches = when;
        },
        stop: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

/** pk of a seeded object found through the raw API. */
export async function seededPk(api: RawClient, path: string, match: (o: Record<string, unknown>) => boolean): Promise<string> {
    const res = await api.get(path);
    const found = (res.body.results as Record<string, unknown>[]).find(match);
    if (found === undefined) throw new Error(`nothing seeded at ${path} matches`);
    return String(found.pk);
}
