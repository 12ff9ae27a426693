/**
 * SessionEndStage (authentik/flows/stage.py), which OAuth2's end-session view appends to the invalidation flow:
 * `ak-stage-session-end` with the brand's name, the application and its launch URL, and the brand's invalidation
 * flow. With a validated post_logout_redirect_uri in the plan the flow ends by redirecting there instead.
 */
import type { JsonObject } from "../../../core/fields";
import { providerLaunchUrl } from "../../../kinds/providers";
import { challenge } from "../challenge";
import type { FlowExecutor, StageResult, StageView } from "../executor";

/** Application.get_launch_url(): meta_launch_url, else the provider's launch URL */
function launchUrl(ex: FlowExecutor, appPk: string): string | undefined {
    const app = ex.ctx.db.applications.get(appPk);
    if (!app) return undefined;
    if (app.meta_launch_url) return app.meta_launch_url;
    const provider = app.provider === null ? undefined : ex.ctx.db.providers.get(app.provider);
    return (provider && providerLaunchUrl(provider)) || undefined;
}

function sessionEnd(ex: FlowExecutor): StageResult {
    const context = ex.plan?.context;
    if (context?.post_logout_redirect_uri) {
        context.redirect = context.post_logout_redirect_uri;
        return ex.stageOk();
    }
    const brand = ex.ctx.brand;
    const body: JsonObject = { component: "ak-stage-session-end", brand_name: brand?.branding_title ?? "authentik" };
    const appPk = context?.application;
    const app = appPk ? ex.ctx.db.applications.get(appPk) : undefined;
    if (app && appPk) {
        body.application_name = app.name;
        const url = launchUrl(ex, appPk);
        if (url) body.application_launch_url = url;
    }
    const invalidation = brand?.flow_invalidation ? ex.ctx.db.flows.get(brand.flow_invalidation) : undefined;
    if (invalidation) body.invalidation_flow_url = `/if/flow/${invalidation.slug}/`;
    return { kind: "challenge", body: challenge(ex, body, true) };
}

export const sessionEndStage: StageView = {
    get: sessionEnd,
    post: (ex) => ex.stageOk(),
};
