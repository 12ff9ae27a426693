/**
 * Media files (authentik/admin/files/): the `/admin/file/` API (api.py FileView and
 * FileUsedByView), the file manager and its backends for the `media` usage (manager.py,
 * backends/static.py, backends/passthrough.py, backends/file.py), the name validators
 * (validation.py) and the signed `/files/media/…` URLs the web server serves uploaded files at.
 *
 * Storage is the FileBackend's (`storage.backend: file`, the default): files live under
 * `{path}/media/public/{name}` ("public" is the tenant schema) and are listed, checked and
 * deleted by that relative name. Their URL is `/files/media/public/{name}?token=<JWT>`, a
 * HS256 JWT `{"path": "media/public/{name}", "exp": now+15 min, "nbf": now-15 s}` signed
 * with the hex SHA-256 of `"{SECRET_KEY}:media"`; the web server answers `404 page not found`
 * to a request without a valid token for that exact path.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Db, StoredFile } from "../core/db";
import { choiceMessage, MSG, type DrfErrorObject } from "../core/drf";
import { ValidationFailed } from "../core/errors";
import type { Json, JsonObject } from "../core/fields";
import type { ApiRequest, ApiResult } from "../core/kind";
import type { UploadedFile } from "../core/multipart";

/** FileApiUsage (admin/files/usage.py): the usages the API accepts. */
export const FILE_API_USAGES = ["media"] as const;
/** api.py MAX_FILE_SIZE_BYTES */
export const MAX_FILE_SIZE_BYTES = 25 * 1024 * 1024;
/** validation.py limits */
export const MAX_FILE_NAME_LENGTH = 1024;
export const MAX_PATH_COMPONENT_LENGTH = 255;
/** backends/base.py THEME_VARIABLE; get_valid_themes(): Themes without "automatic" */
export const THEME_VARIABLE = "%(theme)s";
export const THEMES = ["light", "dark"] as const;
/** the tenant schema of a single-tenant install */
const SCHEMA_NAME = "public";
/** storage.file.presigned_expiry default ("minutes=15") */
const URL_EXPIRY_SECONDS = 15 * 60;
/** ManageableBackend._cache_get_or_set: URLs are cached for 0.67 of their lifetime */
const URL_CACHE_SECONDS = Math.trunc(URL_EXPIRY_SECONDS * 0.67);

export const FILE_MESSAGES = {
    empty: "File name cannot be empty",
    characters:
        "File name can only contain letters (a-z, A-Z), numbers (0-9), dots (.), hyphens (-), underscores (_), and forward slashes (/)",
    duplicateSlash: "File name cannot contain duplicate /",
    absolute: "Absolute paths are not allowed",
    parent: "Parent directory references ('..') are not allowed",
    dot: "Paths cannot start with '.'",
    tooLong: `File name too long (max ${MAX_FILE_NAME_LENGTH} characters)`,
    componentTooLong: `Path component too long (max ${MAX_PATH_COMPONENT_LENGTH} characters)`,
    exists: "A file with this name already exists.",
    // DRF FileField (rest_framework/fields.py)
    noFile: "No file was submitted.",
    notAFile: "The submitted data was not a file. Check the encoding type on the form.",
    emptyFile: "The submitted file is empty.",
} as const;

/** PurePosixPath(name): empty and "." segments dropped, a leading "/" kept. */
function posixPath(name: string): { absolute: boolean; parts: string[]; text: string } {
    const absolute = name.startsWith("/");
    const parts = name.split("/").filter((p) => p !== "" && p !== ".");
    const text = (absolute ? "/" : "") + parts.join("/");
    return { absolute, parts: absolute ? ["/", ...parts] : parts, text: text === "" ? "." : text };
}

/** Where FileBackend stores a name (`base_path / Path(name)`), relative to the base path. */
export function storagePath(name: string): string {
    return posixPath(name).parts.filter((p) => p !== "/").join("/");
}

/**
 * validation.py validate_upload_file_name: the message of the first rule `name` breaks, or
 * undefined. `%(theme)s` placeholders are allowed (a themed name stands for one file per theme).
 */
export function uploadFileNameProblem(name: string): string | undefined {
    if (!name) return FILE_MESSAGES.empty;
    if (!/^[a-zA-Z0-9._/-]+$/.test(name.split(THEME_VARIABLE).join("theme"))) return FILE_MESSAGES.characters;
    if (name.includes("//")) return FILE_MESSAGES.duplicateSlash;
    const path = posixPath(name);
    if (path.absolute) return FILE_MESSAGES.absolute;
    if (path.parts.includes("..")) return FILE_MESSAGES.parent;
    if (path.text.startsWith(".")) return FILE_MESSAGES.dot;
    if (path.text.length > MAX_FILE_NAME_LENGTH) return FILE_MESSAGES.tooLong;
    if (path.parts.some((p) => p.length > MAX_PATH_COMPONENT_LENGTH)) return FILE_MESSAGES.componentTooLong;
    return undefined;
}

/** PassthroughBackend.supports_file: Font Awesome icons and external URLs, passed through as they are. */
function isPassthrough(name: string): boolean {
    return name.startsWith("fa://") || name.startsWith("http:") || name.startsWith("https://");
}

/** StaticBackend.supports_file */
function isStatic(name: string): boolean {
    return name.startsWith("/static");
}

/**
 * validation.py validate_file_name, the validator of authentik's FileField model fields
 * (Brand.branding_logo/branding_favicon/branding_default_flow_background, …): an external
 * URL, a static path, or a name an upload could have. `data:` URIs are refused.
 */
export function fileFieldProblem(value: string): string | undefined {
    if (isPassthrough(value) || isStatic(value)) return undefined;
    return uploadFileNameProblem(value);
}

// Python's mimetypes default map (3.12+), for get_content_type(); unknown → application/octet-stream.
const MIME_TYPES: Record<string, string> = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jpe": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/vnd.microsoft.icon",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".css": "text/css",
    ".csv": "text/csv",
    ".htm": "text/html",
    ".html": "text/html",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".xml": "text/xml",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".tar": "application/x-tar",
    ".wasm": "application/wasm",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
};
const ENCODINGS = new Set([".gz", ".z", ".bz2", ".xz", ".br"]);

/** backends/base.py get_content_type: mimetypes.guess_type (an encoding suffix such as .gz is skipped). */
export function contentTypeOf(name: string): string {
    let base = name.slice(name.lastIndexOf("/") + 1);
    for (;;) {
        const dot = base.lastIndexOf(".");
        if (dot <= 0) return "application/octet-stream";
        const ext = base.slice(dot);
        if (ENCODINGS.has(ext.toLowerCase())) {
            base = base.slice(0, dot);
            continue;
        }
        return MIME_TYPES[ext] ?? MIME_TYPES[ext.toLowerCase()] ?? "application/octet-stream";
    }
}

/**
 * StaticBackend.list_files: the icons of web/authentik/sources (top level), then everything
 * under web/dist/assets/icons and assets/images. The exact set depends on the build; this is
 * the set of the 2026.8 tree as far as it could be read (see the README).
 */
export const STATIC_FILES: readonly string[] = [
    ...[
        "adfs.svg",
        "apple.svg",
        "atproto.svg",
        "bsky.svg",
        "discord.svg",
        "dropbox.svg",
        "github.svg",
        "instagram.svg",
        "kerberos.png",
        "lark.svg",
        "ldap.png",
        "mailcow.svg",
        "openidconnect.svg",
        "proxy.svg",
        "rac.svg",
        "radius.svg",
        "reddit.svg",
        "saml.png",
        "scim.png",
        "slack.svg",
        "ssf.svg",
        "telegram.svg",
        "tiktok.svg",
        "twitch.svg",
        "twitter.svg",
        "wechat.svg",
        "wechatserviceaccount.svg",
        "x.svg",
    ].map((f) => `/static/authentik/sources/${f}`),
    ...[
        "brand.png",
        "brand.svg",
        "icon.png",
        "icon_left_brand.png",
        "icon_left_brand.svg",
        "icon_top_brand.png",
        "icon_top_brand.svg",
    ].map((f) => `/static/dist/assets/icons/${f}`),
    "/static/dist/assets/images/flow_background.jpg",
];

// ---- signed URLs -----------------------------------------------------------------------

function base64url(data: Buffer | string): string {
    return Buffer.from(data).toString("base64url");
}

/** The per-usage signing key: hex SHA-256 of "{SECRET_KEY}:{usage}". */
function signingKey(secretKey: string, usage: string): string {
    return createHash("sha256").update(`${secretKey}:${usage}`).digest("hex");
}

const HMAC_ALGORITHMS: Record<string, string> = { HS256: "sha256", HS384: "sha384", HS512: "sha512" };

/** A token as PyJWT encodes it (sorted header, compact JSON). */
export function signFileToken(secretKey: string, usage: string, payload: Record<string, Json>): string {
    const head = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const body = base64url(JSON.stringify(payload));
    const signature = createHmac("sha256", signingKey(secretKey, usage)).update(`${head}.${body}`).digest("base64url");
    return `${head}.${body}.${signature}`;
}

/**
 * The web server's storage_token_is_valid: HS256/384/512 with the usage's key, not expired,
 * not before its nbf, and a `path` claim equal to "{usage}/{request path below /files/{usage}/}".
 */
export function fileTokenValid(secretKey: string, usage: string, token: string | null, requestPath: string, now = Date.now()): boolean {
    if (!token) return false;
    const parts = token.split(".");
    if (parts.length !== 3) return false;
    const [head, body, signature] = parts as [string, string, string];
    let header: unknown;
    let claims: unknown;
    try {
        header = JSON.parse(Buffer.from(head, "base64url").toString("utf8"));
        claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
        return false;
    }
    if (typeof header !== "object" || header === null || typeof claims !== "object" || claims === null) return false;
    const hash = HMAC_ALGORITHMS[String((header as { alg?: unknown }).alg)];
    if (!hash) return false;
    const expected = createHmac(hash, signingKey(secretKey, usage)).update(`${head}.${body}`).digest();
    const given = Buffer.from(signature, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    const { exp, nbf, path } = claims as { exp?: unknown; nbf?: unknown; path?: unknown };
    const seconds = Math.floor(now / 1000);
    if (typeof exp === "number" && exp < seconds) return false;
    if (typeof nbf === "number" && nbf > seconds) return false;
    if (typeof path !== "string") return false;
    return path === `${usage}/${requestPath.replace(/^\/+/, "")}`;
}

// ---- the file manager ------------------------------------------------------------------

export interface FileListEntry {
    readonly name: string;
    readonly mime_type: string;
    readonly url: string;
    readonly themed_urls: { light: string; dark: string } | null;
}

/** FileManager(FileUsage.MEDIA) over the emulator's storage. */
export class MediaFiles {
    /** ManageableBackend URL cache: `{origin}/{name}` → [url, created (ms)] */
    private readonly urlCache = new Map<string, [string, number]>();

    constructor(private readonly db: Db) {}

    /** FileBackend.file_exists: a stored file, or a directory that holds one. */
    exists(name: string): boolean {
        const path = storagePath(name);
        if (this.db.files.has(path)) return true;
        for (const key of this.db.files.keys()) if (key.startsWith(`${path}/`)) return true;
        return path === "";
    }

    /** FileBackend.save_file; a path under an existing file cannot be created (NotADirectoryError). */
    save(name: string, data: Buffer): void {
        const path = storagePath(name);
        const parts = path.split("/");
        for (let i = 1; i < parts.length; i++) {
            if (this.db.files.has(parts.slice(0, i).join("/"))) throw new ServerError(`Not a directory: '${parts.slice(0, i).join("/")}'`);
        }
        this.db.files.set(path, { name: path, data });
    }

    /** FileBackend.delete_file: unlink(missing_ok=True). A directory cannot be unlinked. */
    delete(name: string): void {
        const path = storagePath(name);
        if (!this.db.files.delete(path) && this.exists(name)) throw new ServerError(`Is a directory: '${path}'`);
    }

    get(path: string): StoredFile | undefined {
        return this.db.files.get(path);
    }

    /** FileManager.list_files: the static backend, then the managed (file) backend. */
    list(manageableOnly: boolean): string[] {
        const managed = [...this.db.files.keys()];
        return manageableOnly ? managed : [...STATIC_FILES, ...managed];
    }

    /** FileManager.file_url: the first backend that supports the name. */
    url(name: string, origin: string, now = Date.now()): string {
        if (!name) return "";
        if (isStatic(name)) return `${origin}${name}`;
        if (isPassthrough(name)) return name;
        const key = `${origin}/${name}`;
        const cached = this.urlCache.get(key);
        if (cached && now - cached[1] < URL_CACHE_SECONDS * 1000) return cached[0];
        const path = `media/${SCHEMA_NAME}/${name}`;
        const seconds = Math.floor(now / 1000);
        const token = signFileToken(this.db.secretKey, "media", { path, exp: seconds + URL_EXPIRY_SECONDS, nbf: seconds - 15 });
        const url = `${origin}/files/${path}?token=${token}`;
        this.urlCache.set(key, [url, now]);
        return url;
    }

    /** Backend.themed_urls: one URL per theme when the name holds %(theme)s, else null. */
    themedUrls(name: string, origin: string): { light: string; dark: string } | null {
        if (!name.includes(THEME_VARIABLE)) return null;
        const [light, dark] = THEMES.map((theme) => this.url(name.split(THEME_VARIABLE).join(theme), origin));
        return { light: light as string, dark: dark as string };
    }

    clearCache(): void {
        this.urlCache.clear();
    }
}

/** An unhandled exception on the real server: Django's 500. */
export class ServerError extends Error {}

// ---- the API ---------------------------------------------------------------------------

const BOOL_TRUE = new Set(["t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"]);
const BOOL_FALSE = new Set(["f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0"]);

/**
 * A PassiveSerializer over query parameters (authentik/api/validation.py `validate(…, location="query")`):
 * DRF reads the last value of a key; an empty value of an optional field counts as absent.
 */
class QueryParams {
    readonly errors: DrfErrorObject = {};
    constructor(private readonly query: URLSearchParams) {}

    private raw(name: string, required: boolean): string | undefined {
        const values = this.query.getAll(name);
        const value = values[values.length - 1];
        if (value === undefined) {
            if (required) this.errors[name] = [MSG.required];
            return undefined;
        }
        if (value === "" && !required) return undefined;
        return value;
    }

    /** CharField (trim_whitespace, allow_blank=False) */
    char(name: string, required: boolean): string | undefined {
        const value = this.raw(name, required)?.trim();
        if (value === "") {
            this.errors[name] = [MSG.blank];
            return undefined;
        }
        return value;
    }

    choice(name: string, choices: readonly string[], fallback: string): string {
        const value = this.raw(name, false);
        if (value === undefined) return fallback;
        if (!choices.includes(value)) this.errors[name] = [choiceMessage(value)];
        return value;
    }

    bool(name: string, fallback: boolean): boolean {
        const value = this.raw(name, false);
        if (value === undefined) return fallback;
        if (BOOL_TRUE.has(value)) return true;
        if (BOOL_FALSE.has(value)) return false;
        this.errors[name] = [MSG.boolean];
        return fallback;
    }

    throwIfAny(): void {
        if (Object.keys(this.errors).length > 0) throw new ValidationFailed(this.errors);
    }
}

/** A DRF ValidationError raised with a plain message: the body is a list. */
function listError(message: string): ValidationFailed {
    return new ValidationFailed([message]);
}

/** core/api/used_by.py UsedBySerializer rows for objects whose FileField holds `name`. */
function usedBy(db: Db, name: string): JsonObject[] {
    const rows: JsonObject[] = [];
    const row = (app: string, model: string, pk: string, label: string): JsonObject => ({
        app,
        model_name: model,
        pk,
        name: label,
        action: "left_dangling",
    });
    for (const flow of db.flows.values()) {
        if (flow.background === name) rows.push(row("authentik_flows", "flow", flow.pk, `Flow ${flow.name} (${flow.slug})`));
    }
    for (const app of db.applications.values()) {
        if (app.meta_icon === name) rows.push(row("authentik_core", "application", app.pk, app.name));
    }
    for (const brand of db.brands.values()) {
        if (brand.branding_logo === name || brand.branding_favicon === name || brand.branding_default_flow_background === name) {
            rows.push(row("authentik_brands", "brand", brand.pk, brand.default ? "Default brand" : `Brand ${brand.domain}`));
        }
    }
    return rows;
}

export interface FileUpload {
    /** text fields of the multipart body, after DRF's CharField handling */
    readonly body: { name?: string; usage?: string };
    readonly file: UploadedFile;
}

/** The handlers of FileView and FileUsedByView, by operation id. */
export function fileHandlers(
    db: Db,
    files: MediaFiles,
    uploadOf: (req: ApiRequest) => FileUpload,
): Record<string, (req: ApiRequest) => ApiResult> {
    return {
        admin_file_list: (req) => {
            const params = new QueryParams(req.query);
            params.choice("usage", FILE_API_USAGES, "media");
            const search = params.char("search", false);
            const manageableOnly = params.bool("manageable_only", false);
            params.throwIfAny();
            let names = files.list(manageableOnly);
            // `search_query in file.lower()`: the query itself is not lowered
            if (search) names = names.filter((n) => n.toLowerCase().includes(search));
            const body: FileListEntry[] = names.map((name) => ({
                name,
                mime_type: contentTypeOf(name),
                url: files.url(name, req.origin),
                themed_urls: files.themedUrls(name, req.origin),
            }));
            return { status: 200, body };
        },
        admin_file_create: (req) => {
            const { body, file } = uploadOf(req);
            let name = (body.name ?? "").trim();
            const usage = body.usage ?? "media";
            if (file.data.length > MAX_FILE_SIZE_BYTES) {
                throw new ValidationFailed({
                    file: [`File size (${file.data.length}B) exceeds maximum allowed size (${MAX_FILE_SIZE_BYTES}B).`],
                });
            }
            if (!(FILE_API_USAGES as readonly string[]).includes(usage)) throw listError(`Invalid usage parameter provided: ${usage}`);
            if (!name) name = file.name;
            const problem = uploadFileNameProblem(name);
            if (problem) throw listError(problem);
            if (files.exists(name)) throw new ValidationFailed({ name: [FILE_MESSAGES.exists] });
            files.save(name, file.data);
            return { status: 200 };
        },
        admin_file_destroy: (req) => {
            const params = new QueryParams(req.query);
            const name = params.char("name", true);
            params.choice("usage", FILE_API_USAGES, "media");
            params.throwIfAny();
            const problem = uploadFileNameProblem(name ?? "");
            if (problem) throw listError(problem);
            files.delete(name as string);
            return { status: 200 };
        },
        admin_file_used_by_list: (req) => {
            const params = new QueryParams(req.query);
            const name = params.char("name", true);
            params.throwIfAny();
            return { status: 200, body: usedBy(db, name as string) };
        },
    };
}

/** Serving `/files/media/{rest}` as the web server does (storage token middleware, then the file). */
export function serveMediaFile(
    db: Db,
    files: MediaFiles,
    method: string,
    rest: string,
    token: string | null,
): { status: number; body: Buffer | string; headers: Record<string, string> } {
    const notFound = { status: 404, body: "404 page not found\n", headers: { "Content-Type": "text/plain; charset=utf-8" } };
    let decoded: string;
    try {
        decoded = decodeURIComponent(rest);
    } catch {
        return notFound;
    }
    if (!fileTokenValid(db.secretKey, "media", token, decoded)) return notFound;
    const csp = { "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox" };
    if (method !== "GET" && method !== "HEAD") return { status: 405, body: "", headers: { Allow: "GET,HEAD", ...csp } };
    const prefix = `${SCHEMA_NAME}/`;
    const relative = decoded.replace(/^\/+/, "");
    const stored = relative.startsWith(prefix) && !relative.split("/").includes("..") ? files.get(storagePath(relative.slice(prefix.length))) : undefined;
    if (!stored) return { status: 404, body: "", headers: csp };
    return {
        status: 200,
        body: method === "HEAD" ? "" : stored.data,
        headers: { "Content-Type": contentTypeOf(stored.name), "Content-Length": String(stored.data.length), ...csp },
    };
}
