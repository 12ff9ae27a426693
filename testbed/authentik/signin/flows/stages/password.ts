/**
 * Password stage (authentik/stages/password/stage.py): `{"component": "ak-stage-password", "password": ...}`,
 * checked by the stage's backends against the pending user. A wrong password answers the challenge again with
 * `{"password": [{"string": "Invalid password", "code": "invalid"}]}`; after `failed_attempts_before_cancel`
 * failures in one plan the flow ends with access denied ("Invalid password").
 */
import type { Db, UserRecord } from "../../../core/db";
import type { JsonObject } from "../../../core/fields";
import { checkPassword } from "../../../kinds/users";
import { challenge } from "../challenge";
import type { FlowExecutor, StageResult, StageView } from "../executor";
import { stageAttrs } from "../models";
import type { PendingUser, PlanBinding } from "../plan";
import { challengeInvalid, challengeResult } from "./base";
import { asData, charField } from "./fields";

export const BACKEND_INBUILT = "authentik.core.auth.InbuiltBackend";

/**
 * authenticate(request, backends, username=, password=): the first backend that returns a user. Only the inbuilt
 * backend (ModelBackend: exact username, user_can_authenticate = is_active) can succeed in the emulator; the
 * LDAP, Kerberos and token (app password) backends have nothing to authenticate against.
 */
export function authenticate(db: Db, backends: readonly string[], username: string, password: string): { user: UserRecord; backend: string } | undefined {
    if (!backends.includes(BACKEND_INBUILT)) return undefined;
    for (const user of db.users.values()) {
        if (user.username !== username) continue;
        if (!user.is_active || !checkPassword(password, user.password)) return undefined;
        return { user, backend: BACKEND_INBUILT };
    }
    return undefined;
}

function passwordChallenge(ex: FlowExecutor, binding: PlanBinding) {
    const attrs = stageAttrs(binding.stage);
    const body: JsonObject = { component: "ak-stage-password", allow_show_password: attrs.allow_show_password === true };
    const recovery = ex.ctx.brand?.flow_recovery;
    const flow = recovery ? ex.ctx.db.flows.get(recovery) : undefined;
    if (flow) body.recovery_url = `${ex.ctx.req.origin}/if/flow/${flow.slug}/`;
    return challenge(ex, body, true);
}

export const passwordStage: StageView = {
    get: (ex, binding) => challengeResult(passwordChallenge(ex, binding)),
    post(ex, binding, raw): StageResult {
        const { data, errors } = asData(raw);
        if (errors) return challengeInvalid(ex, binding, passwordChallenge(ex, binding), errors);
        // CharField(trim_whitespace=False)
        const field = charField(data, "password", { required: true, trim: false });
        if (field.error) return challengeInvalid(ex, binding, passwordChallenge(ex, binding), { password: [field.error] });
        const context = ex.plan?.context;
        const pending = context?.pending_user;
        if (!context || !pending) return ex.stageInvalid();
        const attrs = stageAttrs(binding.stage);
        const found = authenticate(ex.ctx.db, (attrs.backends as string[]) ?? [], pending.username, field.value as string);
        if (!found) {
            // the reputation score of the identifier drops by one per failed login (policies/reputation)
            context.password_failures = (context.password_failures ?? 0) + 1;
            const max = typeof attrs.failed_attempts_before_cancel === "number" ? attrs.failed_attempts_before_cancel : 5;
            if (context.password_failures >= max) return ex.stageInvalid("Invalid password");
            return challengeInvalid(ex, binding, passwordChallenge(ex, binding), {
                password: [{ string: "Invalid password", code: "invalid" }],
            });
        }
        const user: PendingUser = { pk: found.user.pk, username: found.user.username, email: found.user.email, backend: found.backend };
        context.pending_user = user;
        context.user_backend = found.backend;
        // InbuiltBackend.set_method("password")
        context.auth_method = "password";
        context.auth_method_args = { ...(context.auth_method_args ?? {}) };
        return ex.stageOk();
    },
};
