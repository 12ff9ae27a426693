/**
 * Stages and flow-stage bindings as data: the stage types the default flows use, their model defaults
 * (authentik/stages/<type>/models.py), and the stages and bindings of the default blueprints
 * (blueprints/default/flow-default-authentication-flow.yaml, flow-default-provider-authorization-explicit-consent.yaml,
 * flow-default-invalidation-flow.yaml; the implicit-consent and provider-invalidation flows have no stages).
 */
import type { Db, FlowStageBindingRecord, StageRecord } from "../../core/db";
import { newUuid, type JsonObject } from "../../core/fields";

export const STAGE = {
    identification: "authentik_stages_identification.identificationstage",
    password: "authentik_stages_password.passwordstage",
    authenticatorValidate: "authentik_stages_authenticator_validate.authenticatorvalidatestage",
    userLogin: "authentik_stages_user_login.userloginstage",
    userLogout: "authentik_stages_user_logout.userlogoutstage",
    consent: "authentik_stages_consent.consentstage",
} as const;

/** Model field defaults of each stage type. */
const DEFAULTS: Record<string, JsonObject> = {
    [STAGE.identification]: {
        user_fields: [],
        password_stage: null,
        captcha_stage: null,
        case_insensitive_matching: true,
        show_matched_user: true,
        pretend_user_exists: true,
        enable_remember_me: false,
        show_source_labels: false,
        enrollment_flow: null,
        recovery_flow: null,
        passwordless_flow: null,
    },
    [STAGE.password]: {
        backends: [],
        configure_flow: null,
        failed_attempts_before_cancel: 5,
        allow_show_password: false,
    },
    [STAGE.authenticatorValidate]: {
        not_configured_action: "skip",
        device_classes: ["static", "totp", "webauthn", "duo", "sms", "email"],
        configuration_stages: [],
        last_auth_threshold: "seconds=0",
    },
    [STAGE.userLogin]: {
        session_duration: "seconds=0",
        remember_me_offset: "seconds=0",
        terminate_other_sessions: false,
        network_binding: "no_binding",
        geoip_binding: "no_binding",
    },
    [STAGE.userLogout]: {},
    [STAGE.consent]: { mode: "always_require", consent_expire_in: "weeks=4" },
};

/** A stage with its model defaults filled in. */
export function stageAttrs(stage: Pick<StageRecord, "type" | "attrs">): JsonObject {
    return { ...(DEFAULTS[stage.type] ?? {}), ...stage.attrs };
}

/** authentik's in_memory_stage(): a stage that is not stored, only planned (fulfillment, session end, …). */
export function inMemoryStage(type: string, attrs: JsonObject = {}, name = type): StageRecord {
    return { pk: "", name, type, attrs };
}

interface StageSeed {
    readonly name: string;
    readonly type: string;
    readonly attrs: JsonObject;
}

interface BindingSeed {
    readonly flow: string;
    readonly stage: string;
    readonly order: number;
    readonly re_evaluate_policies?: boolean;
}

const STAGES: readonly StageSeed[] = [
    {
        name: "default-authentication-password",
        type: STAGE.password,
        attrs: {
            backends: [
                "authentik.core.auth.InbuiltBackend",
                "authentik.sources.kerberos.auth.KerberosBackend",
                "authentik.sources.ldap.auth.LDAPBackend",
                "authentik.core.auth.TokenBackend",
            ],
            configure_flow: "default-password-change", // !Find by slug, resolved at seed time
        },
    },
    { name: "default-authentication-mfa-validation", type: STAGE.authenticatorValidate, attrs: {} },
    { name: "default-authentication-identification", type: STAGE.identification, attrs: { user_fields: ["email", "username"] } },
    { name: "default-authentication-login", type: STAGE.userLogin, attrs: {} },
    { name: "default-provider-authorization-consent", type: STAGE.consent, attrs: { mode: "expiring" } },
    { name: "default-invalidation-logout", type: STAGE.userLogout, attrs: {} },
];

const BINDINGS: readonly BindingSeed[] = [
    { flow: "default-authentication-flow", stage: "default-authentication-identification", order: 10 },
    // the blueprint also binds the expression policy "default-authentication-flow-password-stage" here (skip the
    // password when the pending user already has a backend); the emulator does not evaluate stage-binding policies
    { flow: "default-authentication-flow", stage: "default-authentication-password", order: 20, re_evaluate_policies: true },
    { flow: "default-authentication-flow", stage: "default-authentication-mfa-validation", order: 30 },
    { flow: "default-authentication-flow", stage: "default-authentication-login", order: 100 },
    { flow: "default-provider-authorization-explicit-consent", stage: "default-provider-authorization-consent", order: 0 },
    { flow: "default-invalidation-flow", stage: "default-invalidation-logout", order: 0 },
];

/** The stages and bindings the default blueprints create (called by seed.ts after the flows). */
export function seedDefaultStages(db: Db): void {
    const byName = new Map<string, string>();
    for (const seed of STAGES) {
        const pk = newUuid();
        const attrs = { ...seed.attrs };
        if (typeof attrs.configure_flow === "string") attrs.configure_flow = db.flowBySlug(attrs.configure_flow)?.pk ?? null;
        db.stages.set(pk, { pk, name: seed.name, type: seed.type, attrs });
        byName.set(seed.name, pk);
    }
    for (const seed of BINDINGS) {
        const flow = db.flowBySlug(seed.flow);
        const stage = byName.get(seed.stage);
        if (!flow || !stage) continue;
        const pk = newUuid();
        const binding: FlowStageBindingRecord = {
            pk,
            target: flow.pk,
            stage,
            order: seed.order,
            // FlowStageBinding defaults (migration 0025): evaluate_on_plan False, re_evaluate_policies True
            evaluate_on_plan: false,
            re_evaluate_policies: seed.re_evaluate_policies ?? true,
            invalid_response_action: "retry",
        };
        db.flowStageBindings.set(pk, binding);
    }
}
