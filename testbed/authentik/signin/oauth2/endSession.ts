/**
 * GET/POST /application/o/<slug>/end-session/ (authentik/providers/oauth2/views/end_session.py EndSessionView, a
 * PolicyAccessView): plans the provider's invalidation flow (else the brand's), with a post_logout_redirect_uri
 * that matches one of the provider's logout-type redirect URIs (strict or regex; `state` appended), and appends the
 * SessionEndStage. The browser goes to /if/flow/<invalidation flow>/; the session lives until that flow runs.
 * While a flow plan is pending in the session, the view only answers "Logout successful" (iframe logout).
 */
import type { RequestContext } from "../context";
import { planToRedirect, type StageViews } from "../flows/executor";
import { inMemoryStage } from "../flows/models";
import { appendStage, planFlow } from "../flows/plan";
import { html, notFound, redirectTo, type HttpOut } from "../http";
import { quote } from "../pyurl";
import { checkAccess } from "./access";
import { redirectUriMatches } from "./params";

export const SESSION_END_STAGE = "authentik_flows.sessionendstage";

export async function endSessionView(ctx: RequestContext, slug: string, views: StageViews): Promise<HttpOut> {
    if (ctx.session.data.plan) return html(200, "<html><body>Logout successful</body></html>");
    const { db } = ctx;
    // resolve_provider_application
    const app = db.applicationBySlug(slug);
    const provider = app?.provider != null ? db.providers.get(app.provider) : undefined;
    if (!app || !provider) return notFound();
    const flowPk = provider.invalidation_flow ?? ctx.brand?.flow_invalidation;
    const flow = flowPk ? db.flows.get(flowPk) : undefined;
    if (!flow) return notFound();
    const query = ctx.req.method === "POST" ? ctx.req.form : ctx.req.query;
    const requested = query.get("post_logout_redirect_uri");
    let postLogout: string | undefined;
    if (requested && redirectUriMatches(provider, "logout", requested)) {
        postLogout = requested;
        const state = query.get("state");
        if (state) postLogout = `${postLogout}${postLogout.includes("?") ? "&" : "?"}state=${quote(state, "")}`;
    }
    const denied = checkAccess(ctx, provider, app);
    if (denied) return denied;

    const plan = planFlow(ctx, flow, {
        allowEmpty: true,
        context: { application: app.pk, ...(postLogout ? { post_logout_redirect_uri: postLogout } : {}) },
    });
    appendStage(plan, inMemoryStage(SESSION_END_STAGE));
    const result = await planToRedirect(ctx, plan, flow, views, []);
    if (result.kind === "redirect") return redirectTo(result.to);
    throw new Error(`end-session: unexpected stage result ${result.kind}`);
}
