/**
 * The flow executor (authentik/flows/views/executor.py FlowExecutorView): continues the session's plan or plans
 * the flow, hands the request to the current stage, and moves on when a stage calls stage_ok(): a redirect back
 * to the executor (the same URL, so the client fetches it with GET) while stages remain, else _flow_done(): a
 * redirect to the `next` the flow was started with, or "/". stage_invalid() ends the plan with an access-denied
 * challenge. Plans live in the session (SESSION_KEY_PLAN), the flow's query in SESSION_KEY_GET.
 */
import type { FlowRecord } from "../../core/db";
import type { JsonObject } from "../../core/fields";
import type { RequestContext } from "../context";
import type { HttpOut } from "../http";
import { isUrlAbsolute, lastValue, urlencode, type QueryPairs } from "../pyurl";
import { challenge } from "./challenge";
import { EmptyFlow, FlowNonApplicable, planFlow, type FlowPlan, type PlanBinding } from "./plan";

/** What a stage view answers, before to_stage_response turns it into the executor's response. */
export type StageResult =
    | { readonly kind: "challenge"; readonly body: JsonObject }
    | { readonly kind: "redirect"; readonly to: string }
    /** a Django response: `template` (TemplateResponse / plain HttpResponse) becomes a ShellChallenge */
    | { readonly kind: "page"; readonly out: HttpOut; readonly template: boolean }
    /** DRF answered before the stage ran (403 of SessionAuthentication's CSRF check) */
    | { readonly kind: "api"; readonly status: number; readonly body: JsonObject };

export interface StageView {
    get(ex: FlowExecutor, binding: PlanBinding): StageResult | Promise<StageResult>;
    post(ex: FlowExecutor, binding: PlanBinding, data: unknown): StageResult | Promise<StageResult>;
}

export type StageViews = (type: string) => StageView | undefined;

export const EXECUTOR_PATH = "/api/v3/flows/executor/";

/** Django's redirect target for a view name or path (resolve_url); authentik_core:root-redirect is "/". */
function resolveUrl(target: string): string {
    return target === "authentik_core:root-redirect" ? "/" : target;
}

export class FlowExecutor {
    plan: FlowPlan | undefined;
    currentBinding: PlanBinding | undefined;

    constructor(
        readonly ctx: RequestContext,
        readonly flow: FlowRecord,
        private readonly views: StageViews,
        /** request.GET of the current request, which redirect_with_qs() carries over */
        private readonly requestQuery: QueryPairs,
    ) {}

    /** reverse("authentik_api:flow-executor") + "?" + request.GET.urlencode() */
    executorUrl(): string {
        const qs = urlencode(this.requestQuery);
        return `${EXECUTOR_PATH}${this.flow.slug}/${qs ? `?${qs}` : ""}`;
    }

    /** FlowExecutorView.dispatch + get()/post(); `csrf` is DRF's SessionAuthentication check, run in initial() */
    async dispatch(method: string, data: unknown, csrf: () => string | undefined): Promise<StageResult> {
        const session = this.ctx.session;
        const getParams = [...new URLSearchParams(this.ctx.req.query.get("query") ?? "")];
        const existing = session.data.plan;
        if (existing) {
            if (existing.flowPk !== this.flow.pk) this.cancel();
            else this.plan = existing;
        }
        session.set("flowGet", getParams);
        if (!this.plan) {
            try {
                this.plan = planFlow(this.ctx, this.flow);
                session.set("plan", this.plan);
            } catch (error) {
                if (error instanceof FlowNonApplicable) {
                    if (this.flow.designation === "authentication" && this.ctx.user) return this.flowDone();
                    return this.handleInvalidFlow(error);
                }
                if (error instanceof EmptyFlow) return this.flowDone();
                throw error;
            }
        }
        const next = this.plan.bindings[0];
        if (!next) return this.flowDone();
        this.currentBinding = next;
        const view = this.views(next.stage.type);
        if (!view) return this.stageInvalid();
        if (method === "POST") {
            const reason = csrf();
            if (reason) return { kind: "api", status: 403, body: { detail: `CSRF Failed: ${reason}` } };
            return view.post(this, next, data);
        }
        return view.get(this, next);
    }

    /** handle_invalid_flow: `next` is read from this request's own query (the executor's), not the flow's */
    private handleInvalidFlow(error: FlowNonApplicable): StageResult {
        const denied = this.flow.denied_action;
        if (denied === "continue" || denied === "message_continue") {
            const next = this.ctx.req.query.get("next");
            if (next && !isUrlAbsolute(next)) return { kind: "redirect", to: next };
        }
        if (denied === "continue") return { kind: "redirect", to: "/" };
        return this.stageInvalid(error.messages);
    }

    /** stage_ok(): persist the plan, next stage or done */
    stageOk(): StageResult {
        const plan = this.plan as FlowPlan;
        plan.bindings.shift();
        this.ctx.session.set("plan", plan);
        if (plan.bindings.length > 0) return { kind: "redirect", to: this.executorUrl() };
        return this.flowDone();
    }

    /** _flow_done() */
    flowDone(): StageResult {
        const redirect = this.plan?.context.redirect;
        if (redirect !== undefined) {
            this.cancel();
            return { kind: "redirect", to: redirect };
        }
        const next = lastValue(this.ctx.session.data.flowGet ?? [], "next") ?? "authentik_core:root-redirect";
        this.cancel();
        if (next && !isUrlAbsolute(next)) return { kind: "redirect", to: resolveUrl(next) };
        return this.stageInvalid("Invalid next URL");
    }

    /** stage_invalid(): restart when the binding says so, else cancel and deny */
    stageInvalid(message?: string): StageResult {
        const action = this.currentBinding?.invalidResponseAction;
        if (action === "restart" || action === "restart_with_context") return this.restartFlow(action === "restart_with_context");
        this.cancel();
        // AccessDeniedStage.get
        return {
            kind: "challenge",
            body: challenge(this, { component: "ak-stage-access-denied", error_message: message ?? "Unknown error" }, true),
        };
    }

    /** restart_flow(keep_context) */
    restartFlow(keepContext: boolean): StageResult {
        try {
            const plan = planFlow(this.ctx, this.flow, keepContext && this.plan ? { context: this.plan.context } : {});
            this.ctx.session.set("plan", plan);
            this.plan = plan;
        } catch (error) {
            if (error instanceof FlowNonApplicable) return this.handleInvalidFlow(error);
            throw error;
        }
        return { kind: "redirect", to: this.executorUrl() };
    }

    /** cancel(): drop plan and query from the session */
    cancel(): void {
        this.ctx.session.delete("plan");
        this.ctx.session.delete("flowGet");
    }
}

/**
 * FlowPlan.to_redirect(request, flow, allowed_silent_types): stores the plan; when every planned stage is of an
 * allowed silent type, runs the last one right away and returns its response (no flow executor), else redirects
 * to the flow interface with the request's query.
 */
export async function planToRedirect(
    ctx: RequestContext,
    plan: FlowPlan,
    flow: FlowRecord,
    views: StageViews,
    silentTypes: readonly string[],
): Promise<StageResult> {
    ctx.session.set("plan", plan);
    const requestQuery = [...ctx.req.query];
    const needsExecutor = silentTypes.length === 0 || plan.bindings.some((b) => !silentTypes.includes(b.stage.type));
    const last = plan.bindings[plan.bindings.length - 1];
    const view = last ? views(last.stage.type) : undefined;
    if (needsExecutor || !last || !view) {
        const qs = urlencode(requestQuery);
        return { kind: "redirect", to: `/if/flow/${flow.slug}/${qs ? `?${qs}` : ""}` };
    }
    const executor = new FlowExecutor(ctx, flow, views, requestQuery);
    executor.plan = plan;
    executor.currentBinding = last;
    const response = await view.get(executor, last);
    // "Ensure we clean the flow state we have in the session before we redirect away"
    executor.stageOk();
    return response;
}
