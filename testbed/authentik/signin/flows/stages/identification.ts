/**
 * Identification stage (authentik/stages/identification/stage.py): `{"component": "ak-stage-identification",
 * "uid_field": ...}` (plus `password` when a password stage is attached). The user is looked up by the stage's
 * user_fields (email, username, upn attribute; case-insensitive unless configured otherwise). An unknown
 * identifier still passes when `pretend_user_exists` is on and no password stage is attached (the password stage
 * then fails); otherwise it is `{"non_field_errors": [{"string": "Failed to authenticate.", "code": "invalid"}]}`.
 */
import { randomInt } from "node:crypto";
import type { UserRecord } from "../../../core/db";
import type { JsonObject } from "../../../core/fields";
import { urlencode } from "../../pyurl";
import { challenge } from "../challenge";
import type { FlowExecutor, StageResult, StageView } from "../executor";
import { stageAttrs } from "../models";
import type { PendingUser, PlanBinding } from "../plan";
import { challengeInvalid, challengeResult } from "./base";
import { asData, charField } from "./fields";
import { authenticate } from "./password";

function flowUrl(ex: FlowExecutor, flowPk: unknown): string | undefined {
    const flow = typeof flowPk === "string" ? ex.ctx.db.flows.get(flowPk) : undefined;
    if (!flow) return undefined;
    // reverse_with_qs("authentik_core:if-flow", query=<the flow's query>)
    const qs = urlencode(ex.ctx.session.data.flowGet ?? []);
    return `/if/flow/${flow.slug}/${qs ? `?${qs}` : ""}`;
}

function identificationChallenge(ex: FlowExecutor, binding: PlanBinding): JsonObject {
    const attrs = stageAttrs(binding.stage);
    const passwordStage = typeof attrs.password_stage === "string" ? ex.ctx.db.stages.get(attrs.password_stage) : undefined;
    const body: JsonObject = {
        component: "ak-stage-identification",
        primary_action: ex.flow.designation === "authentication" ? "Log in" : "Continue",
        user_fields: attrs.user_fields ?? [],
        password_fields: passwordStage !== undefined,
        captcha_stage: null,
        allow_show_password: passwordStage !== undefined && stageAttrs(passwordStage).allow_show_password === true,
        show_source_labels: attrs.show_source_labels === true,
        flow_designation: ex.flow.designation,
        enable_remember_me: attrs.enable_remember_me === true,
        passkey_challenge: null,
        sources: [],
    };
    const appPk = ex.plan?.context.application ?? ex.ctx.session.data.applicationPre;
    const app = appPk ? ex.ctx.db.applications.get(appPk) : undefined;
    if (app) body.application_pre = app.name;
    for (const [key, field] of [
        ["enroll_url", "enrollment_flow"],
        ["recovery_url", "recovery_flow"],
        ["passwordless_url", "passwordless_flow"],
    ] as const) {
        const url = flowUrl(ex, attrs[field]);
        if (url) body[key] = url;
    }
    return challenge(ex, body, false);
}

/** IdentificationStageView.get_user */
function findUser(ex: FlowExecutor, attrs: JsonObject, uid: string): UserRecord | undefined {
    const fields = (attrs.user_fields as string[]) ?? [];
    if (fields.length === 0) return undefined;
    const insensitive = attrs.case_insensitive_matching !== false;
    const same = (a: unknown) => typeof a === "string" && (insensitive ? a.toLowerCase() === uid.toLowerCase() : a === uid);
    const users = [...ex.ctx.db.users.values()].sort((a, b) => a.pk - b.pk);
    return users.find((u) =>
        fields.some((f) => (f === "email" ? same(u.email) : f === "username" ? same(u.username) : f === "upn" ? same(u.attributes.upn) : false)),
    );
}

/** "Sleep a random time (between 90 and 210ms) to 'prevent' user enumeration attacks" */
function enumerationDelay(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 30 * randomInt(3, 8)));
}

export const identificationStage: StageView = {
    get: (ex, binding) => challengeResult(identificationChallenge(ex, binding)),
    async post(ex, binding, raw): Promise<StageResult> {
        const attrs = stageAttrs(binding.stage);
        const context = ex.plan?.context;
        if (!context) return ex.stageInvalid();
        const invalid = (errors: Parameters<typeof challengeInvalid>[3]) => challengeInvalid(ex, binding, identificationChallenge(ex, binding), errors);
        const { data, errors } = asData(raw);
        if (errors) return invalid(errors);
        const uidField = charField(data, "uid_field", { allowBlank: true, allowNull: true });
        const passwordField = charField(data, "password", { allowBlank: true, allowNull: true });
        for (const [name, f] of [["uid_field", uidField], ["password", passwordField]] as const) {
            if (f.error) return invalid({ [name]: [f.error] });
        }
        const failed = (message: string) => invalid({ non_field_errors: [{ string: message, code: "invalid" }] });
        const uid = uidField.value;
        if (!uid) return failed("No identification data provided.");
        const passwordStage = typeof attrs.password_stage === "string" ? ex.ctx.db.stages.get(attrs.password_stage) : undefined;
        let pre: PendingUser;
        const user = findUser(ex, attrs, uid);
        if (!user) {
            await enumerationDelay();
            // "We set the pending_user even on failure so it's part of the context"
            context.pending_user = { pk: null, username: uid, email: uid };
            if (attrs.show_matched_user === false) context.pending_user_identifier = uid;
            if (!(attrs.pretend_user_exists !== false && !passwordStage)) return failed("Failed to authenticate.");
            pre = context.pending_user;
        } else {
            pre = { pk: user.pk, username: user.username, email: user.email };
            if (passwordStage) {
                const found = authenticate(ex.ctx.db, (stageAttrs(passwordStage).backends as string[]) ?? [], user.username, passwordField.value ?? "");
                if (!found) return failed("Failed to authenticate.");
                pre = { ...pre, backend: found.backend };
                context.user_backend = found.backend;
                context.auth_method = "password";
            }
        }
        context.pending_user = pre;
        if (attrs.show_matched_user === false) context.pending_user_identifier = uid;
        return ex.stageOk();
    },
};
