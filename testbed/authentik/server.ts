/**
 * The HTTP side: routing against the OpenAPI document, Bearer-token authentication
 * (authentik/api/authentication.py), request/response validation, the request log, and
 * the unauthenticated OIDC endpoints.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { timingSafeEqual } from "node:crypto";
import { Db } from "./core/db";
import { MSG, pythonType, toDrfErrors, type DrfErrorObject } from "./core/drf";
import { ApiError, NotFound, noMatch } from "./core/errors";
import { FieldErrors, parseIntPk } from "./core/fields";
import { MultipartError, parseMultipart, type MultipartForm } from "./core/multipart";
import { Viewset, type ApiRequest, type ApiResult, type Kind, type Pk } from "./core/kind";
import { applicationKind } from "./kinds/applications";
import { brandKind } from "./kinds/brands";
import { certificateKind } from "./kinds/certificates";
import { FILE_MESSAGES, fileHandlers, MediaFiles, serveMediaFile, ServerError } from "./kinds/files";
import { flowKind } from "./kinds/flows";
import { groupKind } from "./kinds/groups";
import { providerKind } from "./kinds/providers";
import { scopeMappingKind } from "./kinds/scopeMappings";
import { hashPassword, userKind } from "./kinds/users";
import { DJANGO_404, discoveryDocument, issuerFor, jwks, OAUTH_MOUNT, providerForSlug } from "./oidc";
import type { OpenApi, Operation } from "./schema/openapi";
import type { JsonSchema } from "./schema/validator";
import { describeErrors, trimStrings } from "./schema/validator";
import { seed } from "./seed";

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

export interface EmulatorOptions {
    readonly token: string;
    readonly api: OpenApi;
    /** a response that fails schema validation throws (besides answering 500) */
    readonly strict: boolean;
}

type Handler = (req: ApiRequest) => ApiResult;

interface Route {
    readonly handler: Handler;
    /** kind whose relation fields get DRF relation messages in request errors */
    readonly kind?: Kind<{ pk: Pk }>;
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
    private readonly routes = new Map<string, Route>();
    readonly server: Server;

    constructor(private readonly options: EmulatorOptions) {
        seed(this.db);
        this.register();
        this.server = createServer((req, res) => this.handle(req, res));
        this.server.keepAliveTimeout = 5_000;
    }

    reset(): void {
        seed(this.db);
        this.files.clearCache();
        this.log.length = 0;
        this.violations.length = 0;
    }

    // ---- routes ---------------------------------------------------------------------------

    private crud<R extends { pk: Pk }>(prefix: string, lookup: string, kind: Kind<R>, only?: readonly string[]): Viewset<R> {
        const view = new Viewset(kind);
        const asRoute = kind as unknown as Kind<{ pk: Pk }>;
        const ops: Record<string, Handler> = {
            list: (req) => view.list(req),
            retrieve: (req) => view.retrieve(req, req.params[lookup] ?? ""),
            create: (req) => view.create(req, this.schemaErrors(req)),
            update: (req) => view.update(req, req.params[lookup] ?? "", this.schemaErrors(req)),
            partial_update: (req) => view.update(req, req.params[lookup] ?? "", this.schemaErrors(req)),
            destroy: (req) => view.destroy(req.params[lookup] ?? ""),
        };
        for (const [action, handler] of Object.entries(ops)) {
            if (only && !only.includes(action)) continue;
            const id = `${prefix}_${action}`;
            this.options.api.operation(id); // fail fast if the schema does not have it
            this.routes.set(id, { handler, kind: asRoute });
        }
        return view;
    }

    private register(): void {
        const db = this.db;
        this.crud("core_applications", "slug", applicationKind(db));
        const providers = this.crud("providers_oauth2", "id", providerKind(db));
        this.crud("propertymappings_provider_scope", "pm_uuid", scopeMappingKind(db));
        const groups = this.crud("core_groups", "group_uuid", groupKind(db));
        this.crud("core_brands", "brand_uuid", brandKind(db));
        const users = this.crud("core_users", "id", userKind(db));
        this.crud("flows_instances", "slug", flowKind(db));
        this.crud("crypto_certificatekeypairs", "kp_uuid", certificateKind(db));

        // providers/oauth2/api/providers.py setup_urls
        this.routes.set("providers_oauth2_setup_urls_retrieve", {
            handler: (req) => {
                const provider = providers.find(req.params.id ?? "");
                const app = db.applicationOfProvider(provider.pk);
                if (!app) throw new NotFound(MSG.notFound);
                const base = `${req.origin}${OAUTH_MOUNT}`;
                return {
                    status: 200,
                    body: {
                        issuer: issuerFor(provider, app.slug, req.origin),
                        authorize: `${base}authorize/`,
                        token: `${base}token/`,
                        user_info: `${base}userinfo/`,
                        provider_info: `${base}${app.slug}/.well-known/openid-configuration`,
                        logout: `${base}${app.slug}/end-session/`,
                        jwks: `${base}${app.slug}/jwks/`,
                        dcr_registration: null,
                    },
                };
            },
        });

        // core/api/users.py set_password: UserPasswordSetSerializer, then 204
        this.routes.set("core_users_set_password_create", {
            handler: (req) => {
                const user = users.find(req.params.id ?? "");
                const errors = this.schemaErrors(req);
                errors.throwIfAny();
                user.password = hashPassword((req.body as { password: string }).password);
                user.password_change_date = new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
                return { status: 204 };
            },
        });

        // core/api/groups.py add_user / remove_user: 404 for an unknown user pk
        const membership = (add: boolean): Handler => (req) => {
            const group = groups.find(req.params.group_uuid ?? "");
            this.schemaErrors(req).throwIfAny();
            const pk = parseIntPk((req.body as { pk: unknown }).pk);
            const user = pk === undefined ? undefined : db.users.get(pk);
            if (!user) throw noMatch("User");
            if (add && !user.groups.includes(group.pk)) user.groups.push(group.pk);
            if (!add) user.groups = user.groups.filter((g) => g !== group.pk);
            return { status: 204 };
        };
        this.routes.set("core_groups_add_user_create", { handler: membership(true) });
        this.routes.set("core_groups_remove_user_create", { handler: membership(false) });

        // admin/files/api.py FileView and FileUsedByView
        const uploadOf = (req: ApiRequest) => {
            this.schemaErrors(req).throwIfAny();
            const files = req.form?.files.get("file") ?? [];
            const file = files[files.length - 1];
            if (!file) throw new ApiError(400, { file: [FILE_MESSAGES.noFile] }); // unreachable: the schema requires it
            return { body: req.body as { name?: string; usage?: string }, file };
        };
        for (const [id, handler] of Object.entries(fileHandlers(db, this.files, uploadOf))) {
            this.options.api.operation(id);
            this.routes.set(id, { handler });
        }
    }

    /** Request-schema errors of the current request in DRF shape (computed by handle()). */
    private schemaErrors(req: ApiRequest): FieldErrors {
        return FieldErrors.from(req.schemaErrors);
    }

    // ---- HTTP -----------------------------------------------------------------------------

    private handle(req: IncomingMessage, res: ServerResponse): void {
        const started = performance.now();
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            let entry: { operationId?: string; logged: boolean } = { logged: true };
            let result: { status: number; body: string | Buffer; type: string; headers?: Record<string, string> };
            try {
                const out = this.dispatch(req, Buffer.concat(chunks));
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

    private origin(req: IncomingMessage): string {
        const proto = (req.headers["x-forwarded-proto"] as string | undefined)?.split(",")[0]?.trim() || "http";
        return `${proto}://${req.headers.host ?? "localhost"}`;
    }

    private dispatch(
        req: IncomingMessage,
        raw: Buffer,
    ): { status: number; body: string | Buffer; type: string; headers?: Record<string, string>; operationId?: string; logged: boolean } {
        const url = new URL(req.url ?? "/", "http://emulator");
        const method = (req.method ?? "GET").toUpperCase();
        const path = url.pathname;
        const json = (status: number, body: unknown) => ({
            status,
            body: body === undefined ? "" : JSON.stringify(body),
            type: "application/json",
            logged: true,
        });

        if (path.startsWith(OAUTH_MOUNT)) return this.oidc(req, method, path);
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
        const auth = this.authenticate(req, op);
        if (auth) return { ...json(403, auth), operationId: op?.id };
        if (!op) return json(405, { detail: `Method "${method}" not allowed.` });

        const route = this.routes.get(op.id);
        if (!route) {
            return { ...json(501, { detail: `Not implemented by the Gatehouse authentik emulator: ${op.id}` }), operationId: op.id };
        }
        let outcome: ApiResult;
        try {
            const request = this.parseRequest(req, op, params, url, raw, route.kind);
            outcome = route.handler(request);
        } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            outcome = { status: error.status, body: error.body };
        }
        try {
            this.checkResponse(op, outcome);
        } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            outcome = { status: error.status, body: error.body };
        }
        return { ...json(outcome.status, outcome.body), operationId: op.id };
    }

    /** authentik TokenAuthentication + DRF permission check: 403 with DRF's detail. */
    private authenticate(req: IncomingMessage, op: Operation | undefined): { detail: string } | undefined {
        const header = (req.headers.authorization ?? "").trim();
        if (header === "" || !header.includes(" ")) {
            // No credentials: anonymous. Operations that allow anonymous access pass.
            if (op && !op.authRequired) return undefined;
            return { detail: MSG.notAuthenticated };
        }
        const space = header.indexOf(" ");
        const type = header.slice(0, space);
        const credentials = header.slice(space + 1);
        if (type.toLowerCase() !== "bearer") return { detail: MSG.unsupportedAuth };
        if (credentials === "") return { detail: MSG.malformedHeader };
        const expected = Buffer.from(this.options.token);
        const given = Buffer.from(credentials);
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { detail: MSG.tokenInvalid };
        return undefined;
    }

    private parseRequest(
        req: IncomingMessage,
        op: Operation,
        params: Record<string, string>,
        url: URL,
        raw: Buffer,
        kind: Kind<{ pk: Pk }> | undefined,
    ): ApiRequest {
        let body: unknown = undefined;
        let schemaErrors: DrfErrorObject | undefined;
        let form: MultipartForm | undefined;
        if (op.requestSchema && op.requestMediaType === "multipart/form-data") {
            ({ body, schemaErrors, form } = this.parseMultipartBody(req, op, op.requestSchema, raw));
        } else if (op.requestSchema) {
            const text = raw.toString("utf8");
            const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
            if (text.trim() === "") {
                body = {};
            } else {
                if (contentType !== "application/json" && contentType !== "") {
                    throw new ApiError(415, { detail: `Unsupported media type "${contentType}" in request.` });
                }
                try {
                    body = JSON.parse(text) as unknown;
                } catch (error) {
                    throw new ApiError(400, { detail: `JSON parse error - ${(error as Error).message}` });
                }
            }
            if (typeof body !== "object" || body === null || Array.isArray(body)) {
                throw new ApiError(400, {
                    non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonType(body)}.`],
                });
            }
            body = trimStrings(this.options.api.compiler, op.requestSchema, body);
            const check = this.options.api.requestValidator(op);
            const tree = check?.(body);
            if (tree !== undefined) {
                schemaErrors = toDrfErrors(tree, { relations: kind?.relations as ReadonlySet<string> | undefined }) as DrfErrorObject;
            }
        }
        return {
            method: op.method,
            params,
            query: url.searchParams,
            body,
            origin: this.origin(req),
            schemaErrors,
            ...(form ? { form } : {}),
        };
    }

    /**
     * A multipart/form-data body (DRF MultiPartParser over Django's), validated against the
     * operation's schema as DRF's serializer fields would: `format: binary` properties are
     * FileFields (the file parts), the others CharFields over the text parts. As for any HTML
     * form input, an empty text value of an optional field that may not be blank counts as absent.
     */
    private parseMultipartBody(
        req: IncomingMessage,
        op: Operation,
        schema: JsonSchema,
        raw: Buffer,
    ): { body: Record<string, unknown>; schemaErrors: DrfErrorObject | undefined; form: MultipartForm } {
        const header = req.headers["content-type"] ?? "";
        let form: MultipartForm = { fields: new Map(), files: new Map() };
        if (raw.length > 0) {
            // DRF negotiates the parser by the full header; no stream means no parsing at all.
            if (!/^multipart\/form-data(;|$)/i.test(header.trim())) {
                throw new ApiError(415, { detail: `Unsupported media type "${header}" in request.` });
            }
            try {
                form = parseMultipart(raw, header);
            } catch (error) {
                if (!(error instanceof MultipartError)) throw error;
                throw new ApiError(400, { detail: `Multipart form parse error - ${error.message}` });
            }
        }
        const resolved = this.options.api.compiler.resolve(schema);
        const properties = (resolved.properties ?? {}) as Record<string, JsonSchema>;
        const required = new Set((resolved.required ?? []) as string[]);
        const body: Record<string, unknown> = {};
        const fileErrors: Record<string, string> = {};
        for (const [key, property] of Object.entries(properties)) {
            const prop = this.options.api.compiler.resolve(property);
            if (prop.readOnly === true) continue;
            const texts = form.fields.get(key) ?? [];
            const files = form.files.get(key) ?? [];
            if (prop.format === "binary") {
                // QueryDict data + files: the files come last, so a file part wins over a text part.
                const file = files[files.length - 1];
                if (file) {
                    body[key] = file.name;
                    if (file.data.length === 0) fileErrors[key] = FILE_MESSAGES.emptyFile;
                } else if (texts.length > 0) {
                    fileErrors[key] = texts[texts.length - 1] === "" && !required.has(key) ? "" : FILE_MESSAGES.notAFile;
                } else if (required.has(key)) {
                    fileErrors[key] = FILE_MESSAGES.noFile;
                }
                continue;
            }
            const value = texts[texts.length - 1];
            if (value === undefined) continue;
            const allowBlank = typeof prop.minLength !== "number" || prop.minLength < 1;
            if (value === "" && !required.has(key) && !allowBlank) continue;
            body[key] = value;
        }
        const trimmed = trimStrings(this.options.api.compiler, schema, body) as Record<string, unknown>;
        const tree = this.options.api.requestValidator(op)?.(trimmed);
        let errors = tree === undefined ? undefined : (toDrfErrors(tree) as DrfErrorObject);
        for (const [key, message] of Object.entries(fileErrors)) {
            if (message === "") continue;
            errors = { ...(errors ?? {}), [key]: [message] };
        }
        return { body: trimmed, schemaErrors: errors, form };
    }

    /** Validates a response body against the operation's schema for its status. */
    private checkResponse(op: Operation, outcome: ApiResult): void {
        let check = this.options.api.responseValidator(op, outcome.status);
        if (check === null) return; // declared without a body
        if (check === undefined) {
            if (outcome.status === 204) return;
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

    private oidc(req: IncomingMessage, method: string, path: string) {
        const html404 = { status: 404, body: DJANGO_404, type: "text/html; charset=utf-8", logged: true };
        const m = /^\/application\/o\/([^/]+)\/(\.well-known\/openid-configuration|jwks\/)$/.exec(path);
        if (!m || method !== "GET") return html404;
        const slug = decodeURIComponent(m[1] as string);
        const provider = providerForSlug(this.db, slug);
        if (!provider) return html404;
        const origin = this.origin(req);
        const body = m[2] === "jwks/" ? jwks(this.db, provider) : discoveryDocument(this.db, provider, slug, origin);
        return { status: 200, body: JSON.stringify(body, null, 2), type: "application/json", logged: true };
    }

    private control(req: IncomingMessage, method: string, path: string) {
        const json = (status: number, body: unknown) => ({ status, body: body === undefined ? "" : JSON.stringify(body), type: "application/json" });
        const denied = this.authenticate(req, undefined);
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
