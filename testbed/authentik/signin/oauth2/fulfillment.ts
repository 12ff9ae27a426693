/**
 * OAuthFulfillmentStage (authentik/providers/oauth2/views/authorize.py), the in-memory stage authorize appends to
 * the authorization flow: issues the code (and, for implicit / hybrid, tokens) and sends the browser back to the
 * client: `redirect_uri?code=…&state=…` (query), in the fragment, or as an `ak-stage-autosubmit` challenge
 * (form_post). `state` is always sent, empty when the client sent none.
 */
import { randomUUID } from "node:crypto";
import type { ApplicationRecord, ProviderRecord, UserRecord } from "../../core/db";
import { timedeltaSeconds, timedeltaWholeSeconds } from "../duration";
import type { FlowExecutor, StageResult, StageView } from "../flows/executor";
import { notFound } from "../http";
import { parseQuery, splitUri, unsplitUri, urlencode } from "../pyurl";
import { AuthorizeError } from "./errors";
import { accessTokenJwt, idTokenDict, leftHalfHash, newIdToken } from "./idToken";
import { encodeJwt } from "./keys";
import type { AuthorizationParams } from "./params";
import type { AuthorizationCode } from "./store";
import { authorizationErrorResponse, httpRequestOf, TOKEN_TYPE } from "./util";

export const FULFILLMENT_STAGE = "authentik_providers_oauth2.oauthfulfillmentstage";

/** parse_qs (blank values dropped) → dict of lists, then the given keys set; urlencode(doseq=True) */
function mergeQuery(existing: string, values: Array<[string, string]>): string {
    const map = new Map<string, string[]>();
    for (const [k, v] of parseQuery(existing)) if (v !== "") map.set(k, [...(map.get(k) ?? []), v]);
    for (const [k, v] of values) map.set(k, [v]);
    return urlencode([...map].flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v])));
}

/** create_code() */
function createCode(ex: FlowExecutor, params: AuthorizationParams, provider: ProviderRecord, user: UserRecord): AuthorizationCode {
    const now = Date.now();
    const login = ex.ctx.loginEvent ?? null;
    const code: AuthorizationCode = {
        code: randomUUID().replace(/-/g, ""),
        providerPk: provider.pk,
        userPk: user.pk,
        scope: [...params.scope],
        authTime: login ? login.created.getTime() : now,
        expires: now + timedeltaSeconds(provider.access_code_validity) * 1000,
        sessionKey: ex.ctx.session.key,
        login,
        nonce: params.nonce,
        codeChallenge: params.codeChallenge && params.codeChallengeMethod ? params.codeChallenge : null,
        codeChallengeMethod: params.codeChallenge && params.codeChallengeMethod ? params.codeChallengeMethod : null,
    };
    ex.ctx.stores.tokens.codes.set(code.code, code);
    return code;
}

/** create_implicit_response(): the fragment of implicit and hybrid flows */
async function implicitResponse(ex: FlowExecutor, params: AuthorizationParams, provider: ProviderRecord, user: UserRecord, code: AuthorizationCode | null) {
    const db = ex.ctx.db;
    const now = Date.now();
    const login = ex.ctx.loginEvent ?? null;
    const grant = {
        user,
        scope: params.scope,
        expires: now + timedeltaSeconds(provider.access_token_validity) * 1000,
        authTime: login ? login.created.getTime() : now,
        sessionKey: ex.ctx.session.key,
        login,
    };
    const idToken = await newIdToken(db, provider, grant, { origin: ex.ctx.req.origin, http: httpRequestOf(ex.ctx) });
    if (params.nonce) idToken.nonce = params.nonce;
    if (code && ["code id_token", "code id_token token"].includes(params.responseType)) idToken.c_hash = leftHalfHash(code.code);
    const token = await accessTokenJwt(db, provider, idToken, params.scope);
    const fragment: Array<[string, string]> = [];
    if (["id_token token", "code id_token token", "code token"].includes(params.responseType)) {
        fragment.push(["access_token", token]);
        idToken.at_hash = leftHalfHash(token);
    }
    if (["id_token", "id_token token", "code id_token", "code id_token token"].includes(params.responseType)) {
        fragment.push(["id_token", await encodeJwt(db, provider, idTokenDict(idToken))]);
    }
    ex.ctx.stores.tokens.accessTokens.set(token, { ...grant, userPk: user.pk, providerPk: provider.pk, token, idToken, revoked: false });
    if (params.grantType === "hybrid" && code) fragment.push(["code", code.code]);
    fragment.push(["token_type", TOKEN_TYPE]);
    fragment.push(["expires_in", String(timedeltaWholeSeconds(provider.access_token_validity))]);
    fragment.push(["state", params.state ?? ""]);
    return fragment;
}

/** create_response_uri() */
async function responseUri(ex: FlowExecutor, params: AuthorizationParams, provider: ProviderRecord, user: UserRecord): Promise<string> {
    const uri = splitUri(params.redirectUri);
    const code = params.grantType === "authorization_code" || params.grantType === "hybrid" ? createCode(ex, params, provider, user) : null;
    const codeOnly = (): Array<[string, string]> => [
        ["code", code?.code ?? ""],
        ["state", params.state ?? ""],
    ];
    if (params.responseMode === "query") {
        const values: Array<[string, string]> = code ? [["code", code.code]] : [];
        values.push(["state", params.state ?? ""]);
        return unsplitUri({ ...uri, query: mergeQuery(uri.query, values) });
    }
    const values = params.grantType === "authorization_code" ? codeOnly() : await implicitResponse(ex, params, provider, user, code);
    if (params.responseMode === "fragment") return unsplitUri({ ...uri, fragment: uri.fragment + urlencode(values) });
    return unsplitUri({ ...uri, query: urlencode(values) });
}

function redirect(ex: FlowExecutor, params: AuthorizationParams, app: ApplicationRecord, uri: string): StageResult {
    if (params.responseMode === "form_post") {
        const { query, fragment } = splitUri(uri);
        const attrs: Record<string, string> = {};
        for (const [k, v] of [...parseQuery(query), ...parseQuery(fragment)]) if (v !== "" && !(k in attrs)) attrs[k] = v;
        ex.stageOk();
        return {
            kind: "challenge",
            body: { component: "ak-stage-autosubmit", title: `Redirecting to ${app.name}...`, url: params.redirectUri, attrs },
        };
    }
    // "Only call stage_ok after we've used the response"
    ex.stageOk();
    return { kind: "redirect", to: uri };
}

async function fulfill(ex: FlowExecutor): Promise<StageResult> {
    const context = ex.plan?.context;
    const params = context?.oauth_params;
    if (!context || !params) return { kind: "page", out: { status: 400, body: "", type: "text/html; charset=utf-8", headers: {} }, template: false };
    delete context.oauth_params;
    const app = context.application ? ex.ctx.db.applications.get(context.application) : undefined;
    const provider = app?.provider != null ? ex.ctx.db.providers.get(app.provider) : undefined;
    const user = ex.ctx.user;
    // get_object_or_404(OAuth2Provider, pk=application.provider_id); the authorization flow requires a user
    if (!app || !provider) return { kind: "page", out: notFound(), template: false };
    if (!user) throw new Error("OAuth2 fulfillment without an authenticated user");
    try {
        if (params.prompt.has("none") && params.prompt.has("consent")) {
            throw new AuthorizeError(params.redirectUri, "consent_required", params.grantType, params.state, params.responseMode);
        }
        return redirect(ex, params, app, await responseUri(ex, params, provider, user));
    } catch (error) {
        if (!(error instanceof AuthorizeError)) throw error;
        ex.stageInvalid();
        const out = authorizationErrorResponse(error);
        return out.status === 302 ? { kind: "redirect", to: String(out.headers.Location) } : { kind: "page", out, template: true };
    }
}

export const fulfillmentStage: StageView = {
    get: fulfill,
    // "Wrapper when this stage is injected via the flow executor"
    post: (ex) => fulfill(ex),
};
