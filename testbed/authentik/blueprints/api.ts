/**
 * authentik's blueprint API (blueprints/api.py BlueprintInstanceViewSet) as far as Gatehouse uses it:
 * `POST /managed/blueprints/import/` (multipart `file`: validate, then apply once without creating an instance) and
 * `GET /managed/blueprints/` (the instances; the emulator has no blueprint directory, so none).
 */
import type { Db } from "../core/db";
import type { ApiRequest, ApiResult } from "../core/kind";
import type { OpenApi } from "../schema/openapi";
import { Importer } from "./importer";
import { loadBlueprint } from "./loader";

export type BlueprintHandler = (req: ApiRequest) => ApiResult;

/** `context` of the upload (the 2026.8 schema's BlueprintUploadRequest): a JSON object, merged over the blueprint's. */
function uploadContext(req: ApiRequest): Record<string, unknown> {
    const raw = (req.body as { context?: unknown } | undefined)?.context;
    if (typeof raw !== "string" || raw === "") return {};
    try {
        const parsed = JSON.parse(raw) as unknown;
        if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
        // fall through
    }
    return {};
}

export function blueprintHandlers(db: Db, api: OpenApi, env: () => Readonly<Record<string, string | undefined>> = () => process.env): Record<string, BlueprintHandler> {
    return {
        managed_blueprints_import_create: (req) => {
            const files = req.form?.files.get("file") ?? [];
            const file = files[files.length - 1];
            // `if not file: return Response(data=import_response.initial_data, status=400)`
            if (file === undefined) return { status: 400, body: { logs: [], success: false } };
            // Parse and dataclass errors raise past the view: a bare HTTP 500, as authentik answers them.
            const importer = new Importer(db, api, loadBlueprint(file.data.toString("utf8")), env(), uploadContext(req));
            const { valid, logs } = importer.validate();
            if (!valid) return { status: 200, body: { logs, success: false } };
            // authentik reports the validation's log; apply's own is not returned.
            return { status: 200, body: { logs, success: importer.apply() } };
        },
        managed_blueprints_list: () => ({
            status: 200,
            body: { pagination: { next: 0, previous: 0, count: 0, current: 1, total_pages: 1, start_index: 0, end_index: 0 }, results: [], autocomplete: {} },
        }),
    };
}
