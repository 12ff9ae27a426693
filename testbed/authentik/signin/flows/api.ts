/**
 * GET/POST /api/v3/flows/executor/{flow_slug}/?query=<the flow's query> (flows_executor_get / flows_executor_solve)
 * and to_stage_response (authentik/flows/views/executor.py): a redirect to the very URL requested stays an HTTP
 * 302 (the next stage is fetched with GET), any other redirect becomes a `xak-flow-redirect` challenge, HTML
 * pages become `xak-flow-shell`.
 */
import type { Db } from "../../core/db";
import type { JsonObject } from "../../core/fields";
import type { ApiRequest, ApiResult } from "../../core/kind";
import { RequestContext } from "../context";
import { checkCsrf } from "../csrf";
import { DJANGO_404 } from "../oauth2/discovery";
import type { SignInStores } from "../stores";
import { FlowExecutor, type StageResult, type StageViews } from "./executor";

function toHttpIn(req: ApiRequest) {
    const fullPath = req.fullPath ?? "";
    const q = fullPath.indexOf("?");
    return {
        method: req.method,
        path: q >= 0 ? fullPath.slice(0, q) : fullPath,
        fullPath,
        query: req.query,
        headers: req.headers,
        origin: req.origin,
        form: new URLSearchParams(),
        data: req.body,
    };
}

/** to_stage_response(request, response) for the executor API */
export function toStageResponse(ctx: RequestContext, result: StageResult): ApiResult {
    switch (result.kind) {
        case "redirect":
            // "Redirects to the same URL usually indicate an Error within a form"
            if (result.to === ctx.req.fullPath) return { status: 302, headers: { Location: result.to } };
            return {
                status: 200,
                // RedirectChallenge({"to": ...}): final_redirect is set once the flow has ended (observed on 2026.8.3)
                body: { component: "xak-flow-redirect", to: result.to, final_redirect: ctx.session.data.plan === undefined },
            };
        case "page":
            if (result.template) return { status: 200, body: { component: "xak-flow-shell", body: result.out.body } };
            return { status: result.out.status, raw: { body: result.out.body, type: result.out.type }, headers: result.out.headers };
        case "api":
            return { status: result.status, body: result.body };
        case "challenge":
            return { status: 200, body: result.body as JsonObject };
    }
}

export function executorHandler(db: Db, stores: SignInStores, views: StageViews) {
    return async (req: ApiRequest): Promise<ApiResult> => {
        const slug = req.params.flow_slug ?? "";
        const flow = db.flowBySlug(slug);
        // get_object_or_404 in setup(), outside DRF's exception handling: Django's own 404 page
        if (!flow) return { status: 404, raw: { body: DJANGO_404, type: "text/html; charset=utf-8" } };
        const ctx = await RequestContext.create(db, stores, toHttpIn(req));
        const executor = new FlowExecutor(ctx, flow, views, [...req.query]);
        const csrf = () => {
            // TokenAuthentication comes first (a bad token was already refused with 403); SessionAuthentication
            // only authenticates, and checks CSRF, for a session of an active user
            if (req.headers.authorization || !ctx.user) return undefined;
            const outcome = checkCsrf(ctx.req, ctx.csrfCookie);
            if (outcome.rotate) ctx.rotateCsrf();
            return outcome.reason;
        };
        const result = toStageResponse(ctx, await executor.dispatch(req.method, req.body, csrf));
        const out = await ctx.finish({
            status: result.status,
            body: "",
            type: "application/json",
            headers: { ...(result.headers as Record<string, string | string[]> | undefined) },
        });
        return { ...result, headers: out.headers };
    };
}
