/**
 * Consent stage (authentik/stages/consent/stage.py): `ak-stage-consent` with the requested permissions and a
 * one-time `token` (kept in the session); the answer `{"component": "ak-stage-consent", "token": ...}` must echo
 * it. Modes: always_require asks every time; permanent and expiring (consent_expire_in) remember the consent per
 * user and application, and ask again only for permissions not consented to yet. An in-memory consent stage
 * (OAuth2's prompt=consent) always asks and stores nothing.
 */
import { randomUUID } from "node:crypto";
import type { JsonObject } from "../../../core/fields";
import { timedeltaSeconds } from "../../duration";
import { challenge } from "../challenge";
import type { FlowExecutor, StageResult, StageView } from "../executor";
import { stageAttrs } from "../models";
import type { PlanBinding } from "../plan";
import { challengeInvalid, challengeResult } from "./base";
import { asData, charField } from "./fields";

function consentChallenge(ex: FlowExecutor): JsonObject {
    const token = randomUUID();
    ex.ctx.session.set("consentToken", token);
    const context = ex.plan?.context ?? {};
    const body: JsonObject = {
        component: "ak-stage-consent",
        permissions: (context.consent_permissions ?? []) as unknown as JsonObject[],
        additional_permissions: (context.consent_additional_permissions ?? []) as unknown as JsonObject[],
        token,
    };
    if (context.consent_header !== undefined) body.header_text = context.consent_header;
    return challenge(ex, body, true);
}

function consentUserPk(ex: FlowExecutor): number | undefined {
    const pending = ex.plan?.context.pending_user;
    if (pending) return pending.pk ?? undefined;
    return ex.ctx.user?.pk;
}

function show(ex: FlowExecutor, binding: PlanBinding): StageResult {
    const attrs = stageAttrs(binding.stage);
    const context = ex.plan?.context;
    // in-memory stage, always_require, or no application to look the consent up for
    if (!binding.stage.pk || attrs.mode === "always_require" || !context?.application) return challengeResult(consentChallenge(ex));
    const userPk = consentUserPk(ex);
    const consent = userPk === undefined ? undefined : ex.ctx.stores.consents.find(userPk, context.application);
    if (!consent) return challengeResult(consentChallenge(ex));
    const perms = context.consent_permissions ?? [];
    const allowed = new Set(consent.permissions.split(" "));
    const requested = new Set(perms.map((p) => p.id));
    const same = allowed.size === requested.size && [...allowed].every((p) => requested.has(p));
    if (!same) {
        context.consent_permissions = perms.filter((p) => allowed.has(p.id));
        context.consent_additional_permissions = perms.filter((p) => !allowed.has(p.id));
        return challengeResult(consentChallenge(ex));
    }
    return ex.stageOk();
}

export const consentStage: StageView = {
    get: show,
    post(ex, binding, raw): StageResult {
        const { data, errors } = asData(raw);
        if (errors) return challengeInvalid(ex, binding, consentChallenge(ex), errors);
        const token = charField(data, "token", { required: true });
        if (token.error) return challengeInvalid(ex, binding, consentChallenge(ex), { token: [token.error] });
        if (token.value !== ex.ctx.session.data.consentToken) return show(ex, binding);
        const context = ex.plan?.context;
        if (!context?.application || !binding.stage.pk) return ex.stageOk();
        const permissions = [...(context.consent_permissions ?? []), ...(context.consent_additional_permissions ?? [])]
            .map((p) => p.id)
            .join(" ");
        const attrs = stageAttrs(binding.stage);
        const user = ex.ctx.user;
        if (user && attrs.mode === "permanent") {
            ex.ctx.stores.consents.add({ userPk: user.pk, applicationPk: context.application, permissions });
        }
        if (user && attrs.mode === "expiring") {
            const expires = Date.now() + timedeltaSeconds(String(attrs.consent_expire_in)) * 1000;
            ex.ctx.stores.consents.add({ userPk: user.pk, applicationPk: context.application, permissions, expires });
        }
        return ex.stageOk();
    },
};
