/**
 * The file API: admin/files/api.py FileView (list, upload, delete) and FileUsedByView, and serving
 * `/files/media/{name}` as the web server does (token check, then the file, under the server's CSP).
 */
import type { Db } from "../../core/db";
import { ValidationFailed } from "../../core/errors";
import type { JsonObject } from "../../core/fields";
import type { ApiRequest, ApiResult } from "../../core/kind";
import type { UploadedFile } from "../../core/multipart";
import { QueryParams } from "../../core/query-params";
import { FILE_API_USAGES, FILE_MESSAGES, MAX_FILE_SIZE_BYTES, SCHEMA_NAME, storagePath, uploadFileNameProblem } from "./names";
import { contentTypeOf } from "./static";
import type { FileListEntry, MediaFiles } from "./storage";
import { fileTokenValid } from "./tokens";

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