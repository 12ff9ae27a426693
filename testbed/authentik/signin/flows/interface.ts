/**
 * The browser-facing flow URLs (authentik/flows/urls.py, core/urls.py):
 * - /if/flow/<slug>/: the flow interface shell (FlowInterfaceView; 404 for an unknown flow);
 * - /flows/-/default/<authentication|invalidation>/: ToDefaultFlow, a redirect to the brand's flow of that
 *   designation (else the first such flow by slug) at /if/flow/<slug>/ with the request's query; a pending plan
 *   of another flow is dropped;
 * - /flows/-/cancel/: CancelView, drops the plan and goes to `next` (relative) or the default invalidation flow.
 */
import type { FlowRecord } from "../../core/db";
import type { RequestContext } from "../context";
import { flowShellPage, notFound, redirectTo, type HttpOut } from "../http";
import { isUrlAbsolute, urlencode } from "../pyurl";

function withQuery(path: string, ctx: RequestContext): string {
    const qs = urlencode([...ctx.req.query]);
    return qs ? `${path}?${qs}` : path;
}

/** ToDefaultFlow.get_flow */
function defaultFlow(ctx: RequestContext, designation: string): FlowRecord | undefined {
    const brand = ctx.brand;
    const pk = designation === "authentication" ? brand?.flow_authentication : designation === "invalidation" ? brand?.flow_invalidation : null;
    const flow = pk ? ctx.db.flows.get(pk) : undefined;
    if (flow) return flow;
    return [...ctx.db.flows.values()].filter((f) => f.designation === designation).sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))[0];
}

export function flowInterface(ctx: RequestContext, slug: string): HttpOut {
    const flow = ctx.db.flowBySlug(slug);
    if (!flow) return notFound();
    return flowShellPage(flow.slug, flow.title);
}

export function toDefaultFlow(ctx: RequestContext, designation: string): HttpOut {
    const flow = defaultFlow(ctx, designation);
    if (!flow) return notFound();
    const plan = ctx.session.data.plan;
    if (plan && plan.flowPk !== flow.pk) ctx.session.delete("plan");
    return redirectTo(withQuery(`/if/flow/${flow.slug}/`, ctx));
}

export function cancelFlow(ctx: RequestContext): HttpOut {
    ctx.session.delete("plan");
    const next = ctx.req.query.get("next");
    if (next && !isUrlAbsolute(next)) return redirectTo(next);
    return redirectTo("/flows/-/default/invalidation/");
}
