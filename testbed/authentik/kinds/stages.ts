/**
 * Flow-stage bindings and authenticator validation stages, as far as reading them and changing a validation stage
 * go (authentik/flows/api/bindings.py FlowStageBindingViewSet, authentik/stages/authenticator_validate/api.py
 * AuthenticatorValidateStageViewSet, authentik/flows/api/stages.py StageSerializer). Creating and deleting either
 * answers 501 (not emulated).
 */
import type { Db, FlowRecord, FlowStageBindingRecord, StageRecord } from "../core/db";
import { FieldErrors, type JsonObject } from "../core/fields";
import { boolFilter, exactFilter, type ApiRequest, type Kind } from "../core/kind";
import { STAGE, stageAttrs } from "../signin/flows/models";
import { DEFAULT_FLOW_BACKGROUND } from "./flows";

/** Stage.component and Meta.verbose_name(_plural) by model; the validation stage's read from its models.py. */
const STAGE_META: Readonly<Record<string, readonly [component: string, verbose: string]>> = {
    [STAGE.authenticatorValidate]: ["ak-stage-authenticator-validate-form", "Authenticator Validation Stage"],
    [STAGE.identification]: ["ak-stage-identification-form", "Identification Stage"],
    [STAGE.password]: ["ak-stage-password-form", "Password Stage"],
    [STAGE.userLogin]: ["ak-stage-user-login-form", "User Login Stage"],
    [STAGE.userLogout]: ["ak-stage-user-logout-form", "User Logout Stage"],
    [STAGE.consent]: ["ak-stage-consent-form", "Consent Stage"],
};

/** FlowSerializer as nested in Stage.flow_set (the FlowSet schema's fields). */
function flowSet(flow: FlowRecord, req: ApiRequest): JsonObject {
    return {
        pk: flow.pk,
        policybindingmodel_ptr_id: flow.pk,
        name: flow.name,
        slug: flow.slug,
        title: flow.title,
        designation: flow.designation,
        background_url: flow.background || DEFAULT_FLOW_BACKGROUND,
        policy_engine_mode: flow.policy_engine_mode,
        compatibility_mode: flow.compatibility_mode,
        export_url: `${req.origin}/api/v3/flows/instances/${flow.slug}/export/`.replace(req.origin, ""),
        layout: flow.layout,
        denied_action: flow.denied_action,
    };
}

/** StageSerializer: the fields every stage shares; flow_set = the flows it is bound to. */
export function stageFields(db: Db, stage: StageRecord, req: ApiRequest): JsonObject {
    const [component, verbose] = STAGE_META[stage.type] ?? ["", "Stage"];
    const flows = [...db.flowStageBindings.values()].filter((b) => b.stage === stage.pk).map((b) => db.flows.get(b.target)).filter((f) => f !== undefined);
    return {
        pk: stage.pk,
        name: stage.name,
        component,
        verbose_name: verbose,
        verbose_name_plural: `${verbose}s`,
        meta_model_name: stage.type,
        flow_set: flows.map((f) => flowSet(f, req)),
    };
}

export function flowStageBindingKind(db: Db): Kind<FlowStageBindingRecord> {
    return {
        objectName: "FlowStageBinding",
        pkType: "uuid",
        store: db.flowStageBindings as Map<string | number, FlowStageBindingRecord>,
        relations: new Set(["target", "stage"]),
        save: () => {
            throw new Error("flow-stage bindings are read-only in the emulator");
        },
        serialize: (b, req) => {
            const stage = db.stages.get(b.stage);
            return {
                pk: b.pk,
                policybindingmodel_ptr_id: b.pk,
                target: b.target,
                stage: b.stage,
                stage_obj: stage ? stageFields(db, stage, req) : null,
                evaluate_on_plan: b.evaluate_on_plan,
                re_evaluate_policies: b.re_evaluate_policies,
                order: b.order,
                // PolicyBindingModel.policy_engine_mode default (the binding's own policies; none are emulated)
                policy_engine_mode: "any",
                invalid_response_action: b.invalid_response_action,
            };
        },
        destroy: () => undefined,
        // filterset_fields = "__all__" (the schema's query parameters)
        filters: {
            fsb_uuid: { type: "uuid", test: (b, [v]) => b.pk === (v ?? "").toLowerCase() },
            pbm_uuid: { type: "uuid", test: (b, [v]) => b.pk === (v ?? "").toLowerCase() },
            target: { type: "uuid", test: (b, [v]) => b.target === (v ?? "").toLowerCase() },
            stage: { type: "uuid", test: (b, [v]) => b.stage === (v ?? "").toLowerCase() },
            evaluate_on_plan: boolFilter((b) => b.evaluate_on_plan),
            re_evaluate_policies: boolFilter((b) => b.re_evaluate_policies),
            order: { type: "int", test: (b, [v]) => String(b.order) === v },
        },
        search: (b) => [db.stages.get(b.stage)?.name],
        // FlowStageBinding.Meta.ordering
        ordering: ["target", "order"],
        orderValue: (b, field) => (field === "order" ? b.order : field === "target" ? b.target : undefined),
    };
}

const NOT_CONFIGURED_ACTIONS = ["skip", "deny", "configure"];

export function authenticatorValidateStageKind(db: Db): Kind<StageRecord> {
    const store = new Map<string | number, StageRecord>();
    // A view on db.stages limited to validation stages, kept live by reading through on every call.
    const view = new Proxy(store, {
        get(target, prop) {
            target.clear();
            for (const s of db.stages.values()) if (s.type === STAGE.authenticatorValidate) target.set(s.pk, s);
            const value = Reflect.get(target, prop) as unknown;
            return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
    });
    return {
        objectName: "AuthenticatorValidateStage",
        pkType: "uuid",
        store: view,
        relations: new Set(["configuration_stages", "webauthn_allowed_device_types"]),
        save(body: JsonObject, existing: StageRecord | undefined, errors: FieldErrors): StageRecord {
            if (!existing) throw new Error("creating validation stages is not emulated");
            const attrs = stageAttrs(existing);
            const stages = Array.isArray(body.configuration_stages) ? body.configuration_stages : (attrs.configuration_stages as unknown[]);
            // validate_not_configured_action reads configuration_stages from the request itself (initial_data)
            if (body.not_configured_action === "configure" && !(Array.isArray(body.configuration_stages) && body.configuration_stages.length > 0)) {
                errors.add("not_configured_action", 'When "Not configured action" is set to "Configure", you must set a configuration stage.');
            }
            errors.throwIfAny();
            if (typeof body.name === "string") existing.name = body.name;
            for (const key of ["not_configured_action", "device_classes", "last_auth_threshold", "webauthn_user_verification", "webauthn_hints"] as const) {
                if (body[key] !== undefined) existing.attrs[key] = body[key];
            }
            existing.attrs.configuration_stages = stages as JsonObject[keyof JsonObject];
            return existing;
        },
        serialize: (stage, req) => {
            const attrs = stageAttrs(stage);
            return {
                ...stageFields(db, stage, req),
                not_configured_action: attrs.not_configured_action,
                device_classes: attrs.device_classes,
                configuration_stages: attrs.configuration_stages,
                last_auth_threshold: attrs.last_auth_threshold,
                // model defaults (models.py: UserVerification.PREFERRED, FloatField(default=1))
                webauthn_user_verification: attrs.webauthn_user_verification ?? "preferred",
                webauthn_hints: attrs.webauthn_hints ?? [],
                webauthn_allowed_device_types: [],
                webauthn_allowed_device_types_obj: [],
                email_otp_throttling_factor: 1,
                sms_otp_throttling_factor: 1,
                totp_otp_throttling_factor: 1,
                static_otp_throttling_factor: 1,
            };
        },
        destroy: () => undefined,
        filters: {
            name: exactFilter((s) => s.name),
            not_configured_action: { type: "choice", choices: NOT_CONFIGURED_ACTIONS, test: (s, [v]) => stageAttrs(s).not_configured_action === v },
        },
        search: (s) => [s.name],
        ordering: ["name"],
    };
}
