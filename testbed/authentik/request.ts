/**
 * An API request as DRF's parsers see it: JSON (DRF JSONParser, CharField trimming) or multipart/form-data
 * (MultiPartParser over Django's), validated against the operation's request schema; errors in DRF's shape.
 */
import type { IncomingMessage } from "node:http";
import { pythonType, toDrfErrors, type DrfErrorObject } from "./core/drf";
import { ApiError } from "./core/errors";
import type { ApiRequest, Kind, Pk } from "./core/kind";
import { MultipartError, parseMultipart, type MultipartForm } from "./core/multipart";
import { FILE_MESSAGES } from "./kinds/files";
import type { OpenApi, Operation } from "./schema/openapi";
import type { JsonSchema } from "./schema/issues";
import { trimStrings } from "./schema/trim";

/** scheme://host the client used (X-Forwarded-Proto honoured, as behind authentik's proxy) */
export function requestOrigin(req: IncomingMessage): string {
    // A request that came in over TLS is secure whatever the headers say (authentik's own :9443 listener).
    const tls = (req.socket as { encrypted?: boolean }).encrypted === true;
    const proto = tls ? "https" : (req.headers["x-forwarded-proto"] as string | undefined)?.split(",")[0]?.trim() || "http";
    return `${proto}://${req.headers.host ?? "localhost"}`;
}

/** The request of an API operation, parsed and checked against the operation's request schema. */
export function parseApiRequest(
    api: OpenApi,
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
        ({ body, schemaErrors, form } = parseMultipartBody(api, req, op, op.requestSchema, raw));
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
        body = trimStrings(api.compiler, op.requestSchema, body);
        const check = api.requestValidator(op);
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
        origin: requestOrigin(req),
        headers: req.headers,
        fullPath: req.url ?? url.pathname,
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
function parseMultipartBody(
    api: OpenApi,
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
    const resolved = api.compiler.resolve(schema);
    const properties = (resolved.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((resolved.required ?? []) as string[]);
    const body: Record<string, unknown> = {};
    const fileErrors: Record<string, string> = {};
    for (const [key, property] of Object.entries(properties)) {
        const prop = api.compiler.resolve(property);
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
    const trimmed = trimStrings(api.compiler, schema, body) as Record<string, unknown>;
    const tree = api.requestValidator(op)?.(trimmed);
    let errors = tree === undefined ? undefined : (toDrfErrors(tree) as DrfErrorObject);
    for (const [key, message] of Object.entries(fileErrors)) {
        if (message === "") continue;
        errors = { ...(errors ?? {}), [key]: [message] };
    }
    return { body: trimmed, schemaErrors: errors, form };
}

