/**
 * Flows (authentik/flows/models.py, authentik/flows/api/flows.py).
 * Looked up by slug; slug is unique; deleting a flow cascades to providers that use it
 * as authorization flow and nulls the other references (see cascade.ts).
 */
import type { Db, FlowRecord } from "../core/db";
import { FieldErrors, newUuid, uniqueMessage, type JsonObject } from "../core/fields";
import { exactFilter, type Kind } from "../core/kind";
import { deleteFlow } from "./cascade";

export const FLOW_DESIGNATIONS = [
    "authentication",
    "authorization",
    "invalidation",
    "enrollment",
    "unenrollment",
    "recovery",
    "stage_configuration",
];
const DENIED_ACTIONS = ["message_continue", "message", "continue"];

// Flow.background default: the bundled flow background (Flow.background_url).
export const DEFAULT_FLOW_BACKGROUND = "/static/dist/assets/images/flow_background.jpg";

export function flowKind(db: Db): Kind<FlowRecord> {
    return {
        objectName: "Flow",
        pkType: "uuid",
        lookup: (slug) => db.flowBySlug(slug),
        store: db.flows as Map<string | number, FlowRecord>,
        relations: new Set(),
        save(body: JsonObject, existing: FlowRecord | undefined, errors: FieldErrors): FlowRecord {
            if (typeof body.slug === "string") {
                for (const other of db.flows.values()) {
                    if (other.slug === body.slug && other.pk !== existing?.pk) {
                        errors.add("slug", uniqueMessage("Flow", "slug"));
                    }
                }
            }
            errors.throwIfAny();
            const record: FlowRecord = existing ?? {
                pk: newUuid(),
                name: "",
                slug: "",
                title: "",
                designation: "",
                background: "",
                policy_engine_mode: "any",
                compatibility_mode: false,
                layout: "stacked",
                denied_action: "message_continue",
                authentication: "none",
            };
            for (const key of [
                "name",
                "slug",
                "title",
                "designation",
                "background",
                "policy_engine_mode",
                "layout",
                "denied_action",
                "authentication",
            ] as const) {
                if (typeof body[key] === "string") record[key] = body[key] as string;
            }
            if (typeof body.compatibility_mode === "boolean") record.compatibility_mode = body.compatibility_mode;
            db.flows.set(record.pk, record);
            return record;
        },
        serialize(flow: FlowRecord, req): JsonObject {
            return {
                pk: flow.pk,
                policybindingmodel_ptr_id: flow.pk,
                name: flow.name,
                slug: flow.slug,
                title: flow.title,
                designation: flow.designation,
                background: flow.background,
                background_url: flow.background || DEFAULT_FLOW_BACKGROUND,
                background_themed_urls: null,
                // Flow.stages: the stages bound to it (FlowStageBinding), in binding order
                stages: [...db.flowStageBindings.values()]
                    .filter((b) => b.target === flow.pk)
                    .sort((a, b) => a.order - b.order)
                    .map((b) => b.stage),
                policies: [],
                cache_count: 0,
                policy_engine_mode: flow.policy_engine_mode,
                compatibility_mode: flow.compatibility_mode,
                export_url: `${req.origin}/api/v3/flows/instances/${flow.slug}/export/`.replace(req.origin, ""),
                layout: flow.layout,
                denied_action: flow.denied_action,
                authentication: flow.authentication,
            };
        },
        destroy: (flow) => deleteFlow(db, flow),
        filters: {
            flow_uuid: { type: "uuid", test: (f, [v]) => f.pk === (v ?? "").toLowerCase() },
            name: exactFilter((f) => f.name),
            slug: exactFilter((f) => f.slug),
            designation: { type: "choice", choices: FLOW_DESIGNATIONS, test: (f, [v]) => f.designation === v },
            denied_action: { type: "choice", choices: DENIED_ACTIONS, test: (f, [v]) => f.denied_action === v },
        },
        search: (f) => [f.name, f.slug, f.designation, f.title],
        ordering: ["slug", "name"],
    };
}
