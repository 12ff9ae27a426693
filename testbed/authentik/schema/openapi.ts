/**
 * Loads authentik's OpenAPI document once per path, indexes its operations for
 * routing, and hands out request/response validators compiled lazily per operation.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { SchemaCompiler, type Check, type JsonSchema, type SchemaDocument } from "./validator";

export const SCHEMA_ENV = "GATEHOUSE_AUTHENTIK_SCHEMA";

/** The authentik release the emulator answers as; the schema it loads must be this release's. */
export const AUTHENTIK_VERSION = "2026.8.3";

/**
 * `$GATEHOUSE_AUTHENTIK_SCHEMA`, else the `schema.yml` that ships in the installed `@goauthentik/api` (the client
 * is generated from it, so the emulator and the client agree by construction).
 */
export function defaultSchemaPath(): string {
    const fromEnv = process.env[SCHEMA_ENV];
    if (fromEnv) return resolve(fromEnv);
    return require.resolve("@goauthentik/api/schema.yml");
}

export interface Operation {
    readonly id: string;
    readonly method: string;
    /** path template relative to /api/v3, e.g. /core/applications/{slug}/ */
    readonly template: string;
    readonly regex: RegExp;
    readonly params: readonly string[];
    readonly requestSchema: JsonSchema | undefined;
    /** media type of the request body: application/json, or multipart/form-data for uploads */
    readonly requestMediaType: string | undefined;
    readonly requestRequired: boolean;
    /** status → body schema; `null` = declared without a body */
    readonly responses: ReadonlyMap<number, JsonSchema | null>;
    readonly query: ReadonlyMap<string, JsonSchema>;
    /** false when the operation also accepts anonymous requests (`security: [{}]`) */
    readonly authRequired: boolean;
}

interface RawOperation {
    operationId?: string;
    parameters?: Array<JsonSchema>;
    requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
    responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }>; $ref?: string }>;
    security?: Array<Record<string, unknown>>;
}

interface RawDocument extends SchemaDocument {
    info?: { version?: string };
    paths?: Record<string, Record<string, RawOperation>>;
    components?: {
        schemas?: Record<string, JsonSchema>;
        parameters?: Record<string, JsonSchema>;
        responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
    };
}

const METHODS = ["get", "post", "put", "patch", "delete"];

/**
 * Places where authentik's own responses do not match its schema, because the schema
 * describes the serializer's input rules while the model allows more. The emulator answers
 * what the real server answers, so these response schemas are relaxed (and only these).
 */
export const RESPONSE_SCHEMA_ERRATA: ReadonlyArray<{ schema: string; property: string; reason: string }> = [
    {
        schema: "OAuth2Provider",
        property: "invalidation_flow",
        reason:
            "Provider.invalidation_flow is on_delete=SET_DEFAULT (None): deleting the flow leaves null, " +
            "which the serializer then returns although the schema (allow_null=False for input) says non-nullable",
    },
];

function applyErrata(doc: RawDocument): void {
    for (const { schema, property } of RESPONSE_SCHEMA_ERRATA) {
        const target = doc.components?.schemas?.[schema] as { properties?: Record<string, JsonSchema> } | undefined;
        const prop = target?.properties?.[property];
        if (!target?.properties || !prop) throw new Error(`schema erratum for ${schema}.${property} does not apply`);
        target.properties[property] = { ...prop, nullable: true };
    }
}

export class OpenApi {
    readonly version: string;
    readonly compiler: SchemaCompiler;
    private readonly byId = new Map<string, Operation>();
    /** first path segment → operations, for quick routing */
    private readonly routes = new Map<string, Operation[]>();
    private readonly validators = new Map<string, Check>();

    constructor(readonly path: string, private readonly doc: RawDocument) {
        this.version = doc.info?.version ?? "unknown";
        this.compiler = new SchemaCompiler(doc);
        for (const [template, item] of Object.entries(doc.paths ?? {})) {
            for (const method of METHODS) {
                const raw = item[method];
                if (!raw?.operationId) continue;
                const op = this.index(template, method.toUpperCase(), raw);
                this.byId.set(op.id, op);
                const head = template.split("/")[1] ?? "";
                const list = this.routes.get(head) ?? [];
                list.push(op);
                this.routes.set(head, list);
            }
        }
        // Literal segments before templated ones (e.g. /core/users/me/ before /core/users/{id}/).
        for (const list of this.routes.values()) {
            list.sort((a, b) => a.params.length - b.params.length);
        }
    }

    private index(template: string, method: string, raw: RawOperation): Operation {
        const params: string[] = [];
        const pattern = template
            .split(/(\{[^}]+\})/)
            .map((part) => {
                const m = /^\{([^}]+)\}$/.exec(part);
                if (m) {
                    params.push(m[1] as string);
                    return "([^/]+)";
                }
                return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            })
            .join("");
        const content = raw.requestBody?.content ?? {};
        const requestMediaType = "application/json" in content ? "application/json" : Object.keys(content)[0];
        const body = requestMediaType === undefined ? undefined : content[requestMediaType]?.schema;
        const responses = new Map<number, JsonSchema | null>();
        for (const [status, response] of Object.entries(raw.responses ?? {})) {
            const resolved = response.$ref ? this.resolveResponse(response.$ref) : response;
            responses.set(Number(status), resolved?.content?.["application/json"]?.schema ?? null);
        }
        const query = new Map<string, JsonSchema>();
        for (const param of raw.parameters ?? []) {
            const p = typeof param.$ref === "string" ? this.resolveParameter(param.$ref) : param;
            if (p && p.in === "query" && typeof p.name === "string") query.set(p.name, (p.schema as JsonSchema) ?? {});
        }
        const security = raw.security ?? [];
        return {
            id: raw.operationId as string,
            method,
            template,
            regex: new RegExp(`^${pattern}$`),
            params,
            requestSchema: body,
            requestMediaType,
            requestRequired: raw.requestBody?.required === true,
            responses,
            query,
            authRequired: !security.some((s) => Object.keys(s).length === 0),
        };
    }

    private resolveResponse(ref: string) {
        return this.doc.components?.responses?.[ref.replace("#/components/responses/", "")];
    }

    private resolveParameter(ref: string): JsonSchema | undefined {
        return this.doc.components?.parameters?.[ref.replace("#/components/parameters/", "")];
    }

    operation(id: string): Operation {
        const op = this.byId.get(id);
        if (!op) throw new Error(`operation ${id} is not in the OpenAPI schema ${this.path}`);
        return op;
    }

    /** Finds the operation for a path relative to /api/v3; `methods` lists what the path allows. */
    match(method: string, path: string): { op?: Operation; params: Record<string, string>; methods: string[] } {
        const head = path.split("/")[1] ?? "";
        const methods: string[] = [];
        let template: string | undefined;
        let groups: RegExpExecArray | null = null;
        let found: Operation | undefined;
        // Routes are sorted literal-first, so the first matching template is the most specific one.
        for (const op of this.routes.get(head) ?? []) {
            if (template === undefined) {
                groups = op.regex.exec(path);
                if (!groups) continue;
                template = op.template;
            }
            if (op.template !== template) continue;
            methods.push(op.method);
            if (op.method === method) found = op;
        }
        const params: Record<string, string> = {};
        if (found && groups) {
            found.params.forEach((name, i) => {
                params[name] = decodeURIComponent(groups?.[i + 1] ?? "");
            });
        }
        return { op: found, params, methods };
    }

    requestValidator(op: Operation): Check | undefined {
        if (!op.requestSchema) return undefined;
        const key = `${op.id}:request`;
        let check = this.validators.get(key);
        if (!check) {
            check = this.compiler.compile(op.requestSchema, "request");
            this.validators.set(key, check);
        }
        return check;
    }

    responseValidator(op: Operation, status: number): Check | null | undefined {
        const schema = op.responses.get(status);
        if (schema === undefined) return undefined; // undeclared status
        if (schema === null) return null; // declared without body
        const key = `${op.id}:${status}`;
        let check = this.validators.get(key);
        if (!check) {
            check = this.compiler.compile(schema, "response");
            this.validators.set(key, check);
        }
        return check;
    }

    /** Validator for a named component schema (e.g. GenericError). */
    componentValidator(name: string): Check {
        const key = `#${name}`;
        let check = this.validators.get(key);
        if (!check) {
            const schema = this.doc.components?.schemas?.[name];
            if (!schema) throw new Error(`component ${name} missing from schema`);
            check = this.compiler.compile(schema, "response");
            this.validators.set(key, check);
        }
        return check;
    }
}

const loaded = new Map<string, OpenApi>();

/** Parses the schema file once per process and path. */
export function loadOpenApi(path: string = defaultSchemaPath()): OpenApi {
    const absolute = resolve(path);
    const cached = loaded.get(absolute);
    if (cached) return cached;
    if (!existsSync(absolute)) {
        throw new Error(
            `authentik OpenAPI schema not found at ${absolute}. ` +
                `Run npm ci (it ships in @goauthentik/api), ` +
                `or point ${SCHEMA_ENV} (or the schemaPath option / --schema flag) at it.`,
        );
    }
    const doc = parse(readFileSync(absolute, "utf8"), { maxAliasCount: -1 }) as RawDocument;
    if (!doc || typeof doc !== "object" || !doc.paths) {
        throw new Error(`${absolute} is not an OpenAPI document (no "paths")`);
    }
    if (doc.info?.version !== AUTHENTIK_VERSION) {
        throw new Error(`${absolute} is authentik ${doc.info?.version ?? "(no version)"}'s schema; the emulator answers as ${AUTHENTIK_VERSION}`);
    }
    applyErrata(doc);
    const api = new OpenApi(absolute, doc);
    loaded.set(absolute, api);
    return api;
}
