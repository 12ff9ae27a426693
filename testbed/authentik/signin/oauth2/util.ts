/**
 * authentik/providers/oauth2/utils.py and friends: client authentication (HTTP Basic or form fields), the bearer
 * token of a request, TokenResponse (JSON, never cached), CORS for the token and userinfo endpoints, and how an
 * AuthorizeError reaches the client (AuthorizeError.get_response).
 */
import type { Db, ProviderRecord } from "../../core/db";
import type { HttpRequestContext } from "../expressions/evaluate";
import type { RequestContext } from "../context";
import { badRequestPage, html, jsonOut, redirectTo, type HttpIn, type HttpOut } from "../http";
import { fullMatch, urlScheme } from "../pyurl";
import type { AuthorizeError } from "./errors";

/** TOKEN_TYPE */
export const TOKEN_TYPE = "Bearer";

/** extract_client_auth: HTTP Basic (base64 "id:secret", not URL-decoded), else client_id / client_secret in the form */
export function extractClientAuth(req: HttpIn): [string, string] {
    const header = typeof req.headers.authorization === "string" ? req.headers.authorization : "";
    if (/^Basic\s{1}.+$/.test(header)) {
        const encoded = header.split(/\s+/)[1] ?? "";
        try {
            if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) throw new Error("not base64");
            const decoded = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(encoded, "base64"));
            const colon = decoded.indexOf(":");
            return colon >= 0 ? [decoded.slice(0, colon), decoded.slice(colon + 1)] : [decoded, ""];
        } catch {
            return ["", ""];
        }
    }
    return [req.form.get("client_id") ?? "", req.form.get("client_secret") ?? ""];
}

/** extract_access_token: "Bearer <token>", else access_token in the form, else in the query */
export function extractAccessToken(req: HttpIn): string | undefined {
    const header = typeof req.headers.authorization === "string" ? req.headers.authorization : "";
    const m = /^Bearer\s(.*)$/s.exec(header);
    if (m) return m[1];
    if (req.form.has("access_token")) return req.form.get("access_token") ?? undefined;
    if (req.query.has("access_token")) return req.query.get("access_token") ?? undefined;
    return undefined;
}

/** authenticate_provider: client id and secret must both match (introspection, revocation) */
export function authenticateProvider(db: Db, req: HttpIn): ProviderRecord | undefined {
    const [clientId, secret] = extractClientAuth(req);
    if (clientId === "" && secret === "") return undefined;
    const provider = [...db.providers.values()].find((p) => p.client_id === clientId);
    if (!provider || provider.client_secret !== secret) return undefined;
    return provider;
}

/** TokenResponse: JsonResponse with Cache-Control: no-store, Pragma: no-cache */
export function tokenResponse(status: number, body: unknown): HttpOut {
    return jsonOut(status, body, { "Cache-Control": "no-store", Pragma: "no-cache" });
}

/** cors_allow(request, response, *origins): the caller's origin echoed when it is one of the redirect URIs' */
export function corsAllow(req: HttpIn, out: HttpOut, provider: ProviderRecord | undefined): HttpOut {
    const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
    if (!origin) return out;
    let allowed = req.method === "OPTIONS";
    let received: URL | undefined;
    try {
        received = new URL(origin);
    } catch {
        received = undefined;
    }
    for (const uri of provider?.redirect_uris ?? []) {
        if (uri.matching_mode === "regex") {
            if (fullMatch(uri.url, origin)) allowed = true;
            continue;
        }
        try {
            const url = new URL(uri.url);
            if (received && received.protocol === url.protocol && received.hostname === url.hostname && received.port === url.port) allowed = true;
        } catch {
            // not a URL: never matches
        }
    }
    if (!allowed) return out;
    const headers: Record<string, string | string[]> = { ...out.headers, "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true" };
    if (req.method === "OPTIONS") {
        const requested = req.headers["access-control-request-headers"];
        if (typeof requested === "string") headers["Access-Control-Allow-Headers"] = requested;
        headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS, HEAD";
    }
    return { ...out, headers };
}

function escapeAttr(value: string): string {
    return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** if/oauth_form_post.html: an auto-submitting form POSTing `attrs` to the redirect URI (markup: the emulator's) */
export function formPostPage(url: string, attrs: Record<string, string>): HttpOut {
    const inputs = Object.entries(attrs)
        .map(([k, v]) => `<input type="hidden" name="${escapeAttr(k)}" value="${escapeAttr(v)}">`)
        .join("\n");
    return html(
        200,
        `<!DOCTYPE html>\n<html>\n<body onload="document.forms[0].submit()">\n<form method="post" action="${escapeAttr(url)}">\n${inputs}\n</form>\n</body>\n</html>\n`,
    );
}

/** AuthorizeError.get_response */
export function authorizationErrorResponse(error: AuthorizeError): HttpOut {
    if (urlScheme(error.redirectUri) === "") return badRequestPage(error.description, error.error);
    if (error.responseMode === "form_post") {
        const attrs: Record<string, string> = { error: error.error, error_description: error.description };
        if (error.state) attrs.state = error.state;
        return formPostPage(error.redirectUri, attrs);
    }
    return redirectTo(error.uri());
}

/** The request as scope mappings see it (request.http_request) */
export function httpRequestOf(ctx: RequestContext): HttpRequestContext {
    const { req } = ctx;
    const q = req.fullPath.indexOf("?");
    return {
        method: req.method,
        path: req.path,
        queryString: q >= 0 ? req.fullPath.slice(q + 1) : "",
        headers: req.headers as Record<string, string | string[] | undefined>,
        ...(ctx.brand ? { brand: ctx.brand } : {}),
    };
}
