/**
 * The stages that change the session: authenticator validation (authentik/stages/authenticator_validate/stage.py,
 * here only its "user has no device" path, as the emulator has no authenticators), user login
 * (stages/user_login/stage.py) and user logout (stages/user_logout/stage.py).
 */
import type { JsonObject } from "../../../core/fields";
import { timedeltaSeconds } from "../../duration";
import { challenge } from "../challenge";
import type { FlowExecutor, StageResult, StageView } from "../executor";
import { stageAttrs } from "../models";
import type { PlanBinding } from "../plan";
import { challengeInvalid, challengeResult } from "./base";
import { asData, booleanField } from "./fields";
import { BACKEND_INBUILT } from "./password";

/**
 * A user without (allowed) devices meets not_configured_action: "skip" passes the stage, "deny" ends the flow
 * with "No (allowed) MFA authenticator configured."; "configure" needs configuration stages, which the emulator
 * cannot hold.
 */
export const authenticatorValidateStage: StageView = {
    get(ex, binding): StageResult {
        if (!ex.plan?.context.pending_user) return ex.stageInvalid();
        const action = stageAttrs(binding.stage).not_configured_action;
        if (action === "skip") return ex.stageOk();
        if (action === "deny") return ex.stageInvalid("No (allowed) MFA authenticator configured.");
        throw new Error(`authenticator validation stage ${binding.stage.name}: not_configured_action ${String(action)} is not emulated`);
    },
    post(ex, binding) {
        return authenticatorValidateStage.get(ex, binding);
    },
};

/** UserLoginStageView.do_login: the pending user into the session */
function doLogin(ex: FlowExecutor, binding: PlanBinding, remember: boolean): StageResult {
    const context = ex.plan?.context;
    const pending = context?.pending_user;
    if (!context || !pending) return ex.stageInvalid("No Pending user to login.");
    const user = pending.pk === null ? undefined : ex.ctx.db.users.get(pending.pk);
    if (!user) return ex.stageInvalid("No Pending user to login.");
    const attrs = stageAttrs(binding.stage);
    // set_session_duration: session_duration (+ remember_me_offset); 0 means "until the browser is closed"
    let seconds = timedeltaSeconds(String(attrs.session_duration));
    if (remember) seconds += timedeltaSeconds(String(attrs.remember_me_offset));
    const backend = context.user_backend ?? BACKEND_INBUILT;
    ex.ctx.login(user, backend, {
        method: context.auth_method ?? "",
        methodArgs: (context.auth_method_args ?? {}) as JsonObject,
    });
    ex.ctx.session.expiry = seconds === 0 ? 0 : seconds;
    return ex.stageOk();
}

function loginChallenge(ex: FlowExecutor): JsonObject {
    return challenge(ex, { component: "ak-stage-user-login" }, true);
}

export const userLoginStage: StageView = {
    get(ex, binding) {
        // dispatch(): the remember-me prompt only when remember_me_offset is set
        if (timedeltaSeconds(String(stageAttrs(binding.stage).remember_me_offset)) > 0) return challengeResult(loginChallenge(ex));
        return doLogin(ex, binding, false);
    },
    post(ex, binding, raw) {
        if (timedeltaSeconds(String(stageAttrs(binding.stage).remember_me_offset)) <= 0) return doLogin(ex, binding, false);
        const { data, errors } = asData(raw);
        if (errors) return challengeInvalid(ex, binding, loginChallenge(ex), errors);
        const remember = booleanField(data, "remember_me");
        if (remember.error) return challengeInvalid(ex, binding, loginChallenge(ex), { remember_me: [remember.error] });
        return doLogin(ex, binding, remember.value === true);
    },
};

/** UserLogoutStageView.dispatch: logout(request), then on */
export const userLogoutStage: StageView = {
    get(ex) {
        ex.ctx.logout();
        return ex.stageOk();
    },
    post(ex) {
        ex.ctx.logout();
        return ex.stageOk();
    },
};
