/**
 * authentik's policy engine (authentik/policies/engine.py PolicyEngine) for what the sign-in side asks of it:
 * may this user open this application? As authentik 2026.8 evaluates it:
 *
 * - `_bindings_for(pbm)`: the target's bindings with `enabled=True`, ordered by `order`.
 * - `compute_static_bindings`: group and user bindings (no policy) are not run one by one; they are counted
 *   in one query and give a single `PolicyResult(passing)` **without messages**:
 *     total   = bindings with a group or a user and no policy
 *     passing = bindings where (user == U or group in U.all_groups()) and not negate,
 *               or ((user set and != U) or (group set and not in U.all_groups())) and negate
 *   `all_groups()` is the user's groups with all their ancestors (core/models.py
 *   `self.groups.all().with_ancestors()`), so a binding to a parent group admits members of its children.
 *   Mode any: passing > 0; mode all: passing == total. No static bindings at all: no static result.
 * - policy bindings run as PolicyProcess each (dynamic results). Policies are not emulated, and the API
 *   refuses every policy pk, so such a binding cannot be stored; meeting one is an emulator bug and throws.
 * - `_combine_results(mode, empty_result, results)`: no results → `PolicyResult(empty_result)`; else all/any
 *   over the results by the target's `policy_engine_mode`, messages concatenated (none from static bindings).
 * - `empty_result` is True unless the caller sets it (PolicyEngine._init_defaults: "For backwards
 *   compatibility, set empty_result to true"); callers that honour the tenant flag `AppAccessWithoutBindings`
 *   (authentik/core/apps.py, key "core_default_app_access", default True: "Applications with no policies bound
 *   can be accessed by any user.") pass its value, which is True on every emulated install.
 *
 * Nothing here looks at `is_superuser` or `is_active`: the engine has no superuser bypass, and an inactive user
 * is kept out by authentication (PolicyAccessView.dispatch checks `request.user.is_authenticated` first), not by
 * the engine.
 */
import type { ApplicationRecord, Db, PolicyBindingRecord, UserRecord } from "../../core/db";
import { allGroups } from "../../kinds/users";

/** PolicyResult: whether access passes, and the messages a denial shows. */
export interface PolicyResult {
    readonly passing: boolean;
    readonly messages: readonly string[];
}

/** AppAccessWithoutBindings (tenant flag "core_default_app_access"): its default, the only value the emulator has. */
export const APP_ACCESS_WITHOUT_BINDINGS = true;

export interface EngineOptions {
    /** PolicyEngine.empty_result: the result when the target has no enabled bindings (default True) */
    readonly emptyResult?: boolean;
}

/** PolicyEngineException */
export class PolicyEngineError extends Error {}

/** Does one group/user binding pass for this user (the `passing` count of compute_static_bindings)? */
function staticBindingPasses(binding: PolicyBindingRecord, user: UserRecord, groups: ReadonlySet<string>): boolean {
    const userMatches = binding.user !== null && binding.user === user.pk;
    const groupMatches = binding.group !== null && groups.has(binding.group);
    if (!binding.negate) return userMatches || groupMatches;
    return (binding.user !== null && !userMatches) || (binding.group !== null && !groupMatches);
}

/** PolicyEngine(pbm, user).build().result for a PolicyBindingModel of pk `target` and its engine mode. */
export function evaluateBindings(db: Db, target: string, mode: string, user: UserRecord, options: EngineOptions = {}): PolicyResult {
    const bindings = [...db.policyBindings.values()]
        .filter((b) => b.target === target && b.enabled)
        .sort((a, b) => a.order - b.order);
    for (const binding of bindings) {
        if (binding.policy !== null) {
            throw new PolicyEngineError(
                `policy engine: binding ${binding.pk} binds policy ${binding.policy}, but policies are not emulated`,
            );
        }
    }
    const results: PolicyResult[] = []; // dynamic (policy) results: none can exist

    // compute_static_bindings
    const groups = allGroups(db, user);
    const total = bindings.filter((b) => b.policy === null && (b.group !== null || b.user !== null)).length;
    const passingCount = bindings.filter((b) => staticBindingPasses(b, user, groups)).length;
    if (total > 0 || passingCount > 0) {
        let passing = false;
        if (mode === "any") passing = passingCount > 0;
        else if (mode === "all") passing = passingCount === total;
        results.push({ passing, messages: [] });
    }

    // _combine_results
    if (results.length === 0) return { passing: options.emptyResult ?? true, messages: [] };
    let passing = false;
    if (mode === "all") passing = results.every((r) => r.passing);
    if (mode === "any") passing = results.some((r) => r.passing);
    return { passing, messages: results.flatMap((r) => r.messages) };
}

/**
 * May `user` open `application`? PolicyAccessView.user_has_access: `PolicyEngine(self.application, user,
 * request)`, `use_cache = False`, mode from the application's `policy_engine_mode`.
 */
export function applicationAccess(db: Db, application: ApplicationRecord, user: UserRecord, options: EngineOptions = {}): PolicyResult {
    return evaluateBindings(db, application.pk, application.policy_engine_mode, user, options);
}
