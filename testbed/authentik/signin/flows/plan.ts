/**
 * The flow planner (authentik/flows/planner.py FlowPlanner, FlowPlan): checks the flow's authentication
 * requirement, then lists the flow's stage bindings by `order`. The plan is what the session keeps between
 * executor requests; its context carries what stages hand to each other.
 */
import type { FlowRecord, StageRecord, UserRecord } from "../../core/db";
import type { JsonObject } from "../../core/fields";
import { timestamp } from "../../core/fields";
import { isSuperuser, newUserRecord } from "../../kinds/users";
import { evaluateBindings } from "../policies/engine";
import type { RequestContext } from "../context";
import type { AuthorizationParams } from "../oauth2/params";

/** PLAN_CONTEXT_PENDING_USER: a stored user, or the unsaved User(username=..., email=...) of an unknown identifier. */
export interface PendingUser {
    readonly pk: number | null;
    readonly username: string;
    readonly email: string;
    /** user.backend: set once a backend authenticated the user (password stage) */
    readonly backend?: string;
}

export interface ConsentPermission {
    readonly id: string;
    readonly name: string;
}

/** The plan context, with authentik's keys. */
export interface PlanContext {
    /** pending_user */
    pending_user?: PendingUser;
    /** pending_user_identifier (identification stage when show_matched_user is off) */
    pending_user_identifier?: string;
    /** application (pk) */
    application?: string;
    /** is_sso */
    is_sso?: boolean;
    /** redirect */
    redirect?: string;
    /** user_backend */
    user_backend?: string;
    /** auth_method / auth_method_args */
    auth_method?: string;
    auth_method_args?: JsonObject;
    /** goauthentik.io/providers/oauth2/params */
    oauth_params?: AuthorizationParams;
    /** consent_header / consent_permissions / consent_additional_permissions */
    consent_header?: string;
    consent_permissions?: ConsentPermission[];
    consent_additional_permissions?: ConsentPermission[];
    /** post_logout_redirect_uri (end_session.py) */
    post_logout_redirect_uri?: string;
    /** failed password attempts in this plan (the password stage's reputation delta) */
    password_failures?: number;
}

export interface PlanBinding {
    readonly stage: StageRecord;
    readonly order: number;
    readonly invalidResponseAction: string;
}

export interface FlowPlan {
    /** flow_pk */
    readonly flowPk: string;
    readonly bindings: PlanBinding[];
    context: PlanContext;
}

/** FlowNonApplicableException (authentik/flows/exceptions.py) */
export class FlowNonApplicable extends Error {
    constructor(private readonly policyMessages: readonly string[] = []) {
        super("Flow does not apply to current user.");
    }

    /** exc.messages: the policy result's messages, else the generic reason */
    get messages(): string {
        return this.policyMessages.length > 0 ? this.policyMessages.join("\n") : "Flow does not apply to current user.";
    }
}

/** guardian's anonymous user, whom PolicyEngine evaluates for an anonymous request (no groups, no real pk) */
function anonymousUser(): UserRecord {
    return { ...newUserRecord(timestamp()), pk: 0, username: "AnonymousUser" };
}

/** EmptyFlowException */
export class EmptyFlow extends Error {}

/** FlowPlanner._check_authentication */
function checkAuthentication(flow: FlowRecord, user: UserRecord | undefined, ctx: RequestContext): void {
    switch (flow.authentication) {
        case "require_authenticated":
            if (!user) throw new FlowNonApplicable();
            break;
        case "require_unauthenticated":
            if (user) throw new FlowNonApplicable();
            break;
        case "require_superuser":
            if (!user || !isSuperuser(ctx.db, user)) throw new FlowNonApplicable();
            break;
        // require_redirect needs PLAN_CONTEXT_IS_REDIRECTED, require_outpost an outpost's user, require_token a
        // restored flow token: none of them exist in the emulator
        case "require_redirect":
        case "require_outpost":
        case "require_token":
            throw new FlowNonApplicable();
        default:
            break;
    }
}

export interface PlanOptions {
    readonly context?: PlanContext;
    readonly allowEmpty?: boolean;
}

/** FlowPlanner(flow).plan(request, default_context) */
export function planFlow(ctx: RequestContext, flow: FlowRecord, options: PlanOptions = {}): FlowPlan {
    const context: PlanContext = { ...(options.context ?? {}) };
    // "if there is a pending user set in the default context we use that user"; the authentication requirement
    // is only checked when planning for request.user
    if (!context.pending_user) checkAuthentication(flow, ctx.user, ctx);
    // "First off, check the flow's direct policy bindings to make sure the user even has access to the flow"
    const pendingPk = context.pending_user?.pk;
    const user = (pendingPk != null ? ctx.db.users.get(pendingPk) : ctx.user) ?? anonymousUser();
    const result = evaluateBindings(ctx.db, flow.pk, flow.policy_engine_mode, user);
    if (!result.passing) throw new FlowNonApplicable(result.messages);
    const bindings = [...ctx.db.flowStageBindings.values()]
        .filter((b) => b.target === flow.pk)
        .sort((a, b) => a.order - b.order)
        .flatMap((b): PlanBinding[] => {
            const stage = ctx.db.stages.get(b.stage);
            return stage ? [{ stage, order: b.order, invalidResponseAction: b.invalid_response_action }] : [];
        });
    if (bindings.length === 0 && !options.allowEmpty) throw new EmptyFlow();
    return { flowPk: flow.pk, bindings, context };
}

/** FlowPlan.append_stage / insert_stage */
export function appendStage(plan: FlowPlan, stage: StageRecord): void {
    plan.bindings.push({ stage, order: 0, invalidResponseAction: "retry" });
}
