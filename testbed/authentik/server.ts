/**
 * The HTTP side: routing against the OpenAPI document (routes.ts), authentication (auth.ts), request parsing
 * (request.ts) and response validation, the request log, the unauthenticated OIDC endpoints, media files and the
 * emulator's control endpoints.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { performance } from "node:perf_hooks";
import { authenticate } from "./auth";
import { Db } from "./core/db";
import { MSG } from "./core/drf";
import { ApiError } from "./core/errors";
import type { ApiResult } from "./core/kind";
import { MediaFiles, serveMediaFile, ServerError } from "./kinds/files";
import { DJANGO_404 } from "./oidc";
import { parseApiRequest } from "./request";
import { ApiRoutes } from "./routes";
import type { OpenApi, Operation } from "./schema/openapi";
import { describeErrors } from "./schema/issues";
import { seed } from "./seed";
import { SignIn } from "./signin";

export const API_PREFIX = "/api/v3";
/** Where the web server serves uploaded media files (signed URLs, no API token). */
export const MEDIA_FILES_PREFIX = "/files/media/";
/** Emulator-only control endpoints (same token): request log and reset. */
export const CONTROL_PREFIX = "/_emulator";

export interface LogEntry {
    readonly method: string;
    readonly path: string;
    readonly status: number;
    /** time from the request's arrival to the end of the response, in milliseconds */
    readonly durationMs: number;
    readonly operationId?: string;
}

/** What one request is answered with. */
export interface HttpResult {
    readonly status: number;
    readonly body: string | Buffer;
    readonly type: string;
    readonly headers?: Readonly<Record<string, string | readonly string[]>>;
    readonly operationId?: string;
    /** whether it goes into the request log (control requests do not) */
    readonly logged: boolean;
}

export interface EmulatorOptions {
    readonly token: string;
    readonly api: OpenApi;
    /** a response that fails schema validation throws (besides answering 500) */
    readonly strict: boolean;
    /** Serve https with this certificate (authentik's own TLS listener, :9443), else plain http (:9000). */
    readonly tls?: { readonly cert: string; readonly key: string };
    /** the user the token belongs to, when not akadmin (seed.ts) */
    readonly tokenUser?: string;
}

export class SchemaViolation extends Error {
    constructor(
        readonly operationId: string,
        readonly status: number,
        readonly problems: readonly string[],
    ) {
        super(`emulator response for ${operationId} (HTTP ${status}) does not match the OpenAPI schema:\n  ${problems.join("\n  ")}`);
        this.name = "SchemaViolation";
    }
}

/** staticHeaderMiddleware of the web server */
const STATIC_HEADERS: Record<string, string> = {
    "Cache-Control": "public, no-transform",
    Vary: "X-authentik-version, Etag",
};

export class EmulatorServer {
    readonly db = new Db();
    readonly log: LogEntry[] = [];
    readonly violations: SchemaViolation[] = [];
    /** media storage (FileManager for the "media" usage) */
    readonly files = new MediaFiles(this.db);
    private readonly routes: ApiRoutes;
    /** flow executor, flow pages and OAuth2 endpoints, with their sessions and grants */
    readonly signin = new SignIn(this.db);
    readonly server: Server;

    constructor(private readonly options: EmulatorOptions) {
        seed(this.db, { tokenUser: options.tokenUser });
        this.routes = new ApiRoutes(this.db, this.files, options.api);
        this.signin.register(this.routes);
        const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
        this.server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createServer(handler);
        this.server.keepAliveTimeout = 5_000;
    }

    reset(): void {
        seed(this.db, { tokenUser: this.options.tokenUser });
        this.signin.reset();
        this.files.clearCache();
        this.log.length = 0;
        this.violations.length = 0;
    }

    // ---- HTTP -----------------------------------------------------------------------------

    private handle(req: IncomingMessage, res: ServerResponse): void {
        const started = performance.now();
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", async () => {
            let entry: { operationId?: string; logged: boolean } = { logged: true };
            let result: Omit<HttpResult, "logged" | "operationId">;
            try {
                const out = await this.dispatch(req, Buffer.concat(chunks));
                entry = { operationId: out.operationId, logged: out.logged };
                result = out;
            } catch (error) {
                if (error instanceof ServerError) {
                    // An unhandled exception on the real server: Django's plain 500 page.
                    result = { status: 500, body: "<h1>Server Error (500)</h1>", type: "text/html; charset=utf-8" };
                } else {
                    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
                    result = { status: 500, body: JSON.stringify({ detail: `Emulator error: ${message}` }), type: "application/json" };
                }
            }
            res.statusCode = result.status;
            for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
            if (result.body !== "" && !res.hasHeader("Content-Type")) res.setHeader("Content-Type", result.type);
            if (!res.hasHeader("Content-Length")) res.setHeader("Content-Length", Buffer.byteLength(result.body));
            res.end(result.body);
            if (entry.logged) {
                const url = new URL(req.url ?? "/", "http://emulator");
                this.log.push({
                    method: req.method ?? "GET",
                    path: url.pathname,
                    status: result.status,
                    durationMs: performance.now() - started,
                    ...(entry.operationId ? { operationId: entry.operationId } : {}),
                });
            }
        });
    }

    private async dispatch(req: IncomingMessage, raw: Buffer): Promise<HttpResult> {
        const url = new URL(req.url ?? "/", "http://emulator");
        const method = (req.method ?? "GET").toUpperCase();
        const path = url.pathname;
        const json = (status: number, body: unknown) => ({
            status,
            body: body === undefined ? "" : JSON.stringify(body),
            type: "application/json",
            logged: true,
        });

        if (this.signin.handles(path)) return { ...(await this.signin.handle(req, raw)), logged: true };
        if (path.startsWith(MEDIA_FILES_PREFIX)) {
            const served = serveMediaFile(this.db, this.files, method, path.slice(MEDIA_FILES_PREFIX.length), url.searchParams.get("token"));
            return { ...served, type: "application/octet-stream", headers: { ...STATIC_HEADERS, "X-authentik-version": this.options.api.version, ...served.headers }, logged: true };
        }
        if (path.startsWith(CONTROL_PREFIX)) return { ...this.control(req, method, path), logged: false };
        if (!path.startsWith(`${API_PREFIX}/`)) return { status: 404, body: DJANGO_404, type: "text/html; charset=utf-8", logged: true };

        const apiPath = path.slice(API_PREFIX.length);
        const { op, params, methods } = this.options.api.match(method, apiPath);
        if (methods.length === 0) return { status: 404, body: DJANGO_404, type: "text/html; charset=utf-8", logged: true };

        // DRF APIView.initial(): authentication before the method check and the handler.
        const auth = authenticate(this.options.token, req, op);
        if (auth) return { ...json(403, auth), operationId: op?.id };
        if (!op) return json(405, { detail: `Method "${method}" not allowed.` });

        const route = this.routes.get(op.id);
        if (!route) {
            return { ...json(501, { detail: `Not implemented by the Gatehouse authentik emulator: ${op.id}` }), operationId: op.id };
        }
        let outcome: ApiResult;
        try {
            const request = parseApiRequest(this.options.api, req, op, params, url, raw, route.kind);
            outcome = await route.handler(request);
        } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            outcome = { status: error.status, body: error.body };
        }
        if (outcome.raw) {
            return { status: outcome.status, body: outcome.raw.body, type: outcome.raw.type, headers: outcome.headers, operationId: op.id, logged: true };
        }
        try {
            this.checkResponse(op, outcome);
        } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            outcome = { status: error.status, body: error.body };
        }
        return { ...json(outcome.status, outcome.body), ...(outcome.headers && { headers: outcome.headers }), operationId: op.id };
    }

    /** Validates a response body against the operation's schema for its status. */
    private checkResponse(op: Operation, outcome: ApiResult): void {
        let check = this.options.api.responseValidator(op, outcome.status);
        if (check === null) return; // declared without a body
        if (check === undefined) {
            if (outcome.status === 204) return;
            // a Django redirect (the flow executor's "next stage" 302) carries no body
            if (outcome.status >= 300 && outcome.status < 400 && outcome.body === undefined) return;
            // Undeclared statuses (404, 405, 415, 501) carry DRF's {"detail": ...}.
            if (outcome.status >= 400 && outcome.status !== 400) check = this.options.api.componentValidator("GenericError");
            else if (outcome.status === 400) check = this.options.api.componentValidator("ValidationError");
            else {
                this.violation(new SchemaViolation(op.id, outcome.status, ["status not declared for this operation"]));
                return;
            }
        }
        if (outcome.status === 400 && Array.isArray(outcome.body)) return; // DRF list-shaped ValidationError
        const tree = check(outcome.body);
        if (tree !== undefined) this.violation(new SchemaViolation(op.id, outcome.status, describeErrors(tree)));
    }

    private violation(error: SchemaViolation): never {
        this.violations.push(error);
        if (this.options.strict) {
            // Make the test that caused it fail loudly, then answer 500.
            setImmediate(() => {
                throw error;
            });
        }
        throw new ApiError(500, { detail: error.message });
    }

    private control(req: IncomingMessage, method: string, path: string) {
        const json = (status: number, body: unknown) => ({ status, body: body === undefined ? "" : JSON.stringify(body), type: "application/json" });
        const denied = authenticate(this.options.token, req, undefined);
        if (denied) return json(403, denied);
        if (path === `${CONTROL_PREFIX}/log` && method === "GET") return json(200, this.log);
        if (path === `${CONTROL_PREFIX}/log` && method === "DELETE") {
            this.log.length = 0;
            return json(204, undefined);
        }
        if (path === `${CONTROL_PREFIX}/reset` && method === "POST") {
            this.reset();
            return json(204, undefined);
        }
        return json(404, { detail: MSG.notFound });
    }
}
