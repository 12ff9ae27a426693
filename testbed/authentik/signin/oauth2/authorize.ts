/**
 * GET/POST /application/o/authorize/ (authentik/providers/oauth2/views/authorize.py AuthorizationFlowInitView,
 * a PolicyAccessView): validate the request (params.ts), send an anonymous user to sign in, deny a user the
 * application's policies refuse, re-authenticate for max_age / prompt=login, then plan the provider's authorization
 * flow with the OAuth2 parameters and the consent texts, and append the fulfillment stage. When that is all the
 * plan holds (implicit consent) and the response is not form_post, the code comes back right away
 * (FlowPlan.to_redirect with allowed_silent_types); otherwise the browser is sent to the flow.
 */
import { badRequestPage, notFound, redirectTo, type HttpOut } from "../http";
import type { RequestContext } from "../context";
import { planToRedirect, type StageViews } from "../flows/executor";
import { inMemoryStage, STAGE } from "../flows/models";
import { appendStage, FlowNonApplicable, planFlow } from "../flows/plan";
import { accessDenied, checkAccess, handleNoPermission, scopeDescriptions } from "./access";
import { AuthorizeError, ClientPageError } from "./errors";
import { FULFILLMENT_STAGE } from "./fulfillment";
import { parseAuthorization, type AuthorizationParams } from "./params";
import { authorizationErrorResponse } from "./util";

export async function authorizeView(ctx: RequestContext, views: StageViews): Promise<HttpOut> {
    const { db } = ctx;
    // "Quick sanity check at the beginning to prevent event spamming"
    if ([...ctx.req.query].length < 1) return notFound();
    let params: AuthorizationParams;
    try {
        // "Because in this endpoint we handle both GET and POST request"
        params = parseAuthorization(db, ctx.req.method === "POST" ? ctx.req.form : ctx.req.query);
    } catch (error) {
        if (error instanceof AuthorizeError) return authorizationErrorResponse(error);
        if (error instanceof ClientPageError) return badRequestPage(error.description, error.title);
        throw error;
    }
    if (params.prompt.has("none") && !ctx.user) {
        return authorizationErrorResponse(new AuthorizeError(params.redirectUri, "login_required", params.grantType, params.state, params.responseMode));
    }
    // resolve_provider_application
    const provider = [...db.providers.values()].find((p) => p.client_id === ctx.req.query.get("client_id"));
    if (!provider) return notFound();
    const app = db.applicationOfProvider(provider.pk);
    if (!app) return accessDenied(ctx, ["Failed to resolve application"]);
    const denied = checkAccess(ctx, provider, app);
    if (denied) return denied;

    // get(): a login event is required, else sign in again
    const login = ctx.loginEvent;
    if (!login) return handleNoPermission(ctx, provider, app);
    if (params.maxAge) {
        const age = (Date.now() - login.created.getTime()) / 1000;
        if (age > params.maxAge) {
            ctx.session.set("lastLoginUid", login.pk);
            return handleNoPermission(ctx, provider, app);
        }
    }
    if (params.prompt.has("login")) {
        const last = ctx.session.data.lastLoginUid;
        if (last === undefined || last === login.pk) {
            ctx.session.set("lastLoginUid", login.pk);
            return handleNoPermission(ctx, provider, app);
        }
    }
    const flow = provider.authorization_flow ? db.flows.get(provider.authorization_flow) : undefined;
    if (!flow) return notFound();
    let plan;
    try {
        plan = planFlow(ctx, flow, {
            allowEmpty: true,
            context: {
                is_sso: true,
                application: app.pk,
                oauth_params: params,
                consent_header: `You're about to sign into ${app.name}.`,
                consent_permissions: scopeDescriptions(ctx, provider, params.scope),
            },
        });
    } catch (error) {
        if (error instanceof FlowNonApplicable) return accessDenied(ctx);
        throw error;
    }
    // prompt=consent: a consent stage is injected when the flow has none
    if (params.prompt.has("consent") && !plan.bindings.some((b) => b.stage.type === STAGE.consent)) {
        appendStage(plan, inMemoryStage(STAGE.consent, { mode: "always_require" }, "OAuth2 Provider In-memory consent stage"));
    }
    appendStage(plan, inMemoryStage(FULFILLMENT_STAGE));
    const silent = params.responseMode === "form_post" ? [] : [FULFILLMENT_STAGE];
    const result = await planToRedirect(ctx, plan, flow, views, silent);
    if (result.kind === "redirect") return redirectTo(result.to);
    if (result.kind === "page") return result.out;
    throw new Error(`authorize: unexpected stage result ${result.kind}`);
}
