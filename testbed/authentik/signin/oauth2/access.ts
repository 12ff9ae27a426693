/**
 * PolicyAccessView (authentik/policies/views.py), which authorize and end-session build on: an anonymous user is
 * sent to sign in, a user the application's policies deny gets the access-denied page (HTTP 200).
 *
 * handle_no_permission: the application is remembered for the identification stage, and the browser goes to the
 * provider's authentication flow (else the brand's) with the request's own query plus `next` = the full path
 * (observed on 2026.8.3: `/if/flow/default-authentication-flow/?…&next=…`).
 */
import type { ApplicationRecord, FlowRecord, ProviderRecord } from "../../core/db";
import { isSuperuser } from "../../kinds/users";
import { applicationAccess } from "../policies/engine";
import type { RequestContext } from "../context";
import { accessDeniedPage, redirectTo, type HttpOut } from "../http";
import { urlencode } from "../pyurl";
import type { ConsentPermission } from "../flows/plan";

/** ToDefaultFlow.get_flow(designation=authentication): the brand's flow, else the first by slug */
export function authenticationFlow(ctx: RequestContext, provider?: ProviderRecord): FlowRecord | undefined {
    const pk = provider?.authentication_flow ?? ctx.brand?.flow_authentication;
    const flow = pk ? ctx.db.flows.get(pk) : undefined;
    if (flow) return flow;
    return [...ctx.db.flows.values()].filter((f) => f.designation === "authentication").sort((a, b) => (a.slug < b.slug ? -1 : 1))[0];
}

export function handleNoPermission(ctx: RequestContext, provider: ProviderRecord | undefined, app: ApplicationRecord | undefined): HttpOut {
    if (app) ctx.session.set("applicationPre", app.pk);
    const flow = authenticationFlow(ctx, provider);
    if (!flow) throw new Error("no authentication flow: Http404");
    const query = [...ctx.req.query].filter(([k]) => k !== "next");
    query.push(["next", ctx.req.fullPath]);
    return redirectTo(`/if/flow/${flow.slug}/?${urlencode(query)}`);
}

/** handle_no_permission_authenticated: AccessDeniedResponse with the policy result (shown to superusers only) */
export function accessDenied(ctx: RequestContext, messages: readonly string[] = []): HttpOut {
    const user = ctx.user;
    const debug = user !== undefined && (isSuperuser(ctx.db, user) || user.attributes["goauthentik.io/user/debug"] === true);
    return accessDeniedPage(undefined, debug ? messages : undefined);
}

/** PolicyAccessView.dispatch after resolve_provider_application: authenticated? allowed? */
export function checkAccess(ctx: RequestContext, provider: ProviderRecord, app: ApplicationRecord): HttpOut | undefined {
    const user = ctx.user;
    if (!user) return handleNoPermission(ctx, provider, app);
    const result = applicationAccess(ctx.db, app, user);
    if (!result.passing) return accessDenied(ctx, result.messages);
    return undefined;
}

/**
 * UserInfoView.get_scope_descriptions: the provider's mappings for the scopes, by scope name, as consent
 * permissions; mappings without a description are left out.
 */
export function scopeDescriptions(ctx: RequestContext, provider: ProviderRecord, scopes: readonly string[]): ConsentPermission[] {
    const wanted = new Set(scopes);
    return provider.property_mappings
        .map((pk) => ctx.db.scopeMappings.get(pk))
        .filter((m) => m !== undefined && wanted.has(m.scope_name) && m.description !== "")
        .sort((a, b) => (a!.scope_name < b!.scope_name ? -1 : a!.scope_name > b!.scope_name ? 1 : 0))
        .map((m) => ({ id: m!.scope_name, name: m!.description }));
}
