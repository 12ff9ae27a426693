/**
 * Policy bindings (authentik/policies/models.py PolicyBinding, authentik/policies/api/bindings.py).
 * - target: PolicyBindingModelForeignKey over every PolicyBindingModel; of those the emulator has applications
 *   (pk = pbm_uuid) and flows (pk = flow_uuid, which the emulator also uses as the flow's pbm_uuid). Anything
 *   else is DRF's 'Invalid pk "…" - object does not exist.'
 * - policy: Policies are not emulated, so every policy pk "does not exist"; a stored binding never has one.
 * - validate(): exactly one of the target's supported_policy_binding_targets, counted over the request's own
 *   fields (`attrs`), as a non_field_errors message.
 * - Meta.unique_together = ("policy", "target", "order"): DRF's UniqueTogetherValidator skips rows whose policy
 *   is None, so group and user bindings may share an order.
 * - Defaults: enabled True, negate False, timeout 30, failure_result False; expires/expiring are read-only
 *   (migration 0012_alter_policybinding_managers_policybinding_expires_and_more: expires None, expiring False).
 * - on_delete: target, group and user are CASCADE (cascade.ts).
 */
import type { Db, GroupRecord, PolicyBindingRecord } from "../core/db";
import type { DrfErrorObject } from "../core/drf";
import { ValidationFailed } from "../core/errors";
import { FieldErrors, newUuid, parseUuid, resolvePk, type JsonObject } from "../core/fields";
import { boolFilter, type ApiRequest, type ApiResult, type Kind, type Viewset } from "../core/kind";
import { deletePolicyBinding } from "./cascade";
import { numPk, partialUser } from "./groups";

/** PolicyBindingModel.supported_policy_binding_targets(), in the order authentik's messages list them
 * (authentik/policies/tests/test_bindings_api.py: "Only one of 'group', 'policy', 'user' can be set."). */
const SUPPORTED_TARGETS = ["group", "policy", "user"] as const;
const TARGET_LIST = SUPPORTED_TARGETS.map((t) => `'${t}'`).join(", ");
export const BINDING_MESSAGES = {
    onlyOne: `Only one of ${TARGET_LIST} can be set.`,
    oneOf: `One of ${TARGET_LIST} must be set.`,
} as const;

/** PartialGroupSerializer (authentik/core/api/users.py) */
export function partialGroup(g: GroupRecord): JsonObject {
    return { pk: g.pk, num_pk: numPk(g.pk), name: g.name, is_superuser: g.is_superuser, attributes: g.attributes };
}

/** The PolicyBindingModels the emulator has: applications and flows, by pbm_uuid. */
export function isBindingTarget(db: Db, pk: string): boolean {
    // FlowStageBinding is a PolicyBindingModel too (flows/models.py); its pbm_uuid is taken to be its fsb_uuid
    return db.applications.has(pk) || db.flows.has(pk) || db.flowStageBindings.has(pk);
}

export function policyBindingKind(db: Db): Kind<PolicyBindingRecord> {
    return {
        objectName: "PolicyBinding",
        pkType: "uuid",
        store: db.policyBindings as Map<string | number, PolicyBindingRecord>,
        relations: new Set(["policy", "group", "user", "target"]),
        save(body: JsonObject, existing: PolicyBindingRecord | undefined, errors: FieldErrors): PolicyBindingRecord {
            // Field validation first (Serializer.to_internal_value); validate() only runs when every field is valid.
            const attrs: { policy?: string | null; group?: string | null; user?: number | null; target?: string } = {};
            if ("policy" in body && body.policy !== null) {
                // Policies are not emulated: no policy pk exists.
                resolvePk<string>(errors, "policy", body.policy, "uuid", () => false);
            } else if ("policy" in body) attrs.policy = null;
            if ("group" in body) {
                attrs.group = body.group === null ? null : resolvePk<string>(errors, "group", body.group, "uuid", (pk) => db.groups.has(pk));
            }
            if ("user" in body) {
                attrs.user = body.user === null ? null : resolvePk<number>(errors, "user", body.user, "int", (pk) => db.users.has(pk));
            }
            if ("target" in body) {
                attrs.target = resolvePk<string>(errors, "target", body.target, "uuid", (pk) => isBindingTarget(db, pk));
            }
            errors.throwIfAny();

            // PolicyBindingSerializer.validate: count = sum(bool(attrs.get(x)) for x in supported)
            const count = SUPPORTED_TARGETS.filter((x) => Boolean(attrs[x])).length;
            if (count > 1) throw new ValidationFailed({ non_field_errors: [BINDING_MESSAGES.onlyOne] });
            if (count < 1) throw new ValidationFailed({ non_field_errors: [BINDING_MESSAGES.oneOf] });

            const record: PolicyBindingRecord = existing ?? {
                pk: newUuid(),
                policy: null,
                group: null,
                user: null,
                target: "",
                negate: false,
                enabled: true,
                order: 0,
                timeout: 30,
                failure_result: false,
            };
            // ModelSerializer.update sets exactly the validated fields, for PUT and PATCH alike.
            if (attrs.group !== undefined) record.group = attrs.group;
            if (attrs.user !== undefined) record.user = attrs.user;
            if (attrs.target !== undefined) record.target = attrs.target;
            for (const key of ["negate", "enabled", "failure_result"] as const) {
                if (typeof body[key] === "boolean") record[key] = body[key] as boolean;
            }
            for (const key of ["order", "timeout"] as const) {
                if (typeof body[key] === "number") record[key] = body[key] as number;
            }
            db.policyBindings.set(record.pk, record);
            return record;
        },
        serialize(b: PolicyBindingRecord): JsonObject {
            const group = b.group !== null ? db.groups.get(b.group) : undefined;
            const user = b.user !== null ? db.users.get(b.user) : undefined;
            return {
                pk: b.pk,
                policy: b.policy,
                group: b.group,
                user: b.user,
                policy_obj: null,
                group_obj: group ? partialGroup(group) : null,
                user_obj: user ? partialUser(db, user) : null,
                target: b.target,
                negate: b.negate,
                enabled: b.enabled,
                order: b.order,
                timeout: b.timeout,
                failure_result: b.failure_result,
                // read-only; nothing in the API sets them (ExpiringModel fields, expiring default False)
                expires: null,
                expiring: false,
            };
        },
        destroy: (b) => deletePolicyBinding(db, b),
        // PolicyBindingFilter.Meta.fields = ["policy", "policy__isnull", "target", "target_in", "enabled", "order", "timeout"]
        filters: {
            // ModelChoiceFilter over Policy: no policy exists, so every value is an invalid choice
            policy: { type: "model", exists: () => false, test: () => false },
            policy__isnull: boolFilter((b) => b.policy === null),
            // ModelChoiceFilter over PolicyBindingModel (pk = pbm_uuid)
            target: {
                type: "model",
                exists: (v) => {
                    const pk = parseUuid(v);
                    return pk !== undefined && isBindingTarget(db, pk);
                },
                test: (b, [v]) => b.target === parseUuid(v),
            },
            // ModelMultipleChoiceFilter(field_name="target__pbm_uuid"); values checked by bindingFilterErrors
            target_in: { type: "string", multi: true, test: (b, values) => values.includes(b.target) },
            enabled: boolFilter((b) => b.enabled),
            // NumberFilter (forms.DecimalField); values checked by bindingFilterErrors. The IntegerField lookup
            // takes int(Decimal(value)), which truncates.
            order: { type: "string", test: (b, [v]) => Math.trunc(decimalValue(v ?? "")) === b.order },
            timeout: { type: "string", test: (b, [v]) => Math.trunc(decimalValue(v ?? "")) === b.timeout },
        },
        // search_fields = ["policy__name"]: bindings without policy never match a search term
        search: () => [],
        ordering: ["target", "order"],
    };
}

// Python's Decimal() string syntax (underscores between digits allowed), finite values only.
const DECIMAL_RE = /^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d(_?\d)*)?$/;

function decimalValue(raw: string): number {
    return Number(raw.trim().replace(/_/g, ""));
}

/**
 * The filter form errors the generic viewset cannot phrase: NumberFilter's DecimalField ("Enter a number.")
 * and target_in's ModelMultipleChoiceField (Django's `_check_values`: a malformed uuid fails in the UUIDField
 * lookup, then every value must equal str(pbm_uuid) of an existing object).
 */
export function bindingFilterErrors(db: Db, query: URLSearchParams): DrfErrorObject {
    const errors: DrfErrorObject = {};
    const targets = query.getAll("target_in").filter((v) => v !== "");
    const malformed = targets.find((v) => parseUuid(v) === undefined);
    if (malformed !== undefined) errors.target_in = [`“${malformed}” is not a valid UUID.`];
    else {
        const missing = targets.find((v) => !isBindingTarget(db, v));
        if (missing !== undefined) errors.target_in = [`Select a valid choice. ${missing} is not one of the available choices.`];
    }
    for (const name of ["order", "timeout"]) {
        const values = query.getAll(name);
        const value = values[values.length - 1];
        if (value === undefined || value.trim() === "") continue;
        if (!DECIMAL_RE.test(value.trim())) errors[name] = ["Enter a number."];
    }
    return errors;
}

/** GET /policies/bindings/: the generic list, with the filter errors of bindingFilterErrors merged in. */
export function listPolicyBindings(db: Db, view: Viewset<PolicyBindingRecord>, req: ApiRequest): ApiResult {
    const own = bindingFilterErrors(db, req.query);
    if (Object.keys(own).length === 0) return view.list(req);
    let others: DrfErrorObject = {};
    try {
        // the generic filters' own errors (policy, target) come in the same 400
        const stripped = new URLSearchParams(req.query);
        for (const name of Object.keys(own)) stripped.delete(name);
        view.query({ ...req, query: stripped });
    } catch (error) {
        if (!(error instanceof ValidationFailed)) throw error;
        others = error.errors as DrfErrorObject;
    }
    throw new ValidationFailed({ ...others, ...own });
}
