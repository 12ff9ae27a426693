/**
 * The HTTP side of the sign-in views, which are plain Django views (not DRF): the request as they see it
 * (request.GET, request.POST, cookies, headers) and the responses they build (redirects, Django's error pages,
 * authentik's HTML pages, JSON).
 */
import type { IncomingHttpHeaders } from "node:http";
import { DJANGO_404 } from "./oauth2/discovery";

export interface HttpIn {
    readonly method: string;
    /** path without the query string */
    readonly path: string;
    /** path and query exactly as received (request.get_full_path()) */
    readonly fullPath: string;
    /** request.GET */
    readonly query: URLSearchParams;
    readonly headers: IncomingHttpHeaders;
    /** scheme://host as the client used it (X-Forwarded-Proto honoured) */
    readonly origin: string;
    /** request.POST: the form body of an application/x-www-form-urlencoded POST, else empty */
    readonly form: URLSearchParams;
    /** the parsed JSON body of an API request (DRF request.data) */
    readonly data?: unknown;
}

export interface HttpOut {
    readonly status: number;
    readonly body: string;
    readonly type: string;
    readonly headers: Record<string, string | string[]>;
}

export const HTML = "text/html; charset=utf-8";

/** request.is_secure() behind authentik's proxy (SECURE_PROXY_SSL_HEADER = X-Forwarded-Proto: https). */
export function isSecure(req: HttpIn): boolean {
    return req.origin.startsWith("https://");
}

/** request.get_host() */
export function hostOf(req: HttpIn): string {
    return new URL(req.origin).host;
}

/** Django's request.COOKIES (django/http/cookie.py parse_cookie). */
export function parseCookies(headers: IncomingHttpHeaders): Map<string, string> {
    const out = new Map<string, string>();
    const raw = headers.cookie ?? "";
    for (const chunk of raw.split(";")) {
        const eq = chunk.indexOf("=");
        const key = (eq >= 0 ? chunk.slice(0, eq) : "").trim();
        let value = (eq >= 0 ? chunk.slice(eq + 1) : chunk).trim();
        if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
        if (key || value) out.set(key, value);
    }
    return out;
}

/** request.POST: Django parses only form-encoded (and multipart) bodies; anything else leaves it empty. */
export function parseForm(headers: IncomingHttpHeaders, raw: Buffer): URLSearchParams {
    const type = (headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/x-www-form-urlencoded") return new URLSearchParams();
    return new URLSearchParams(raw.toString("utf8"));
}

/** HttpResponseRedirect (302, empty body). */
export function redirectTo(location: string): HttpOut {
    return { status: 302, body: "", type: HTML, headers: { Location: location } };
}

export function html(status: number, body: string): HttpOut {
    return { status, body, type: HTML, headers: {} };
}

export function jsonOut(status: number, body: unknown, headers: Record<string, string | string[]> = {}): HttpOut {
    return { status, body: JSON.stringify(body), type: "application/json", headers };
}

/** Django's 404 page (Http404 outside DRF). */
export function notFound(): HttpOut {
    return html(404, DJANGO_404);
}

function escapeHtml(value: string): string {
    return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}

/**
 * authentik/lib/views.py bad_request_message: the if/error.html page with a title and a message, status 400.
 * The page's markup is the emulator's; its title and message are authentik's.
 */
export function badRequestPage(message: string, title = "Bad Request"): HttpOut {
    return html(400, errorPage(title, `<p>${escapeHtml(message)}</p>`));
}

/**
 * authentik/policies/denied.py AccessDeniedResponse: policies/denied.html, status 200 (a TemplateResponse without
 * status). Policy messages are shown only to superusers (or users with the debug attribute), as the template does.
 */
export function accessDeniedPage(error: string | undefined, messages: readonly string[] | undefined): HttpOut {
    let body = "<p>Request has been denied.</p>";
    if (error) body += `<hr><p>${escapeHtml(error)}</p>`;
    if (messages && messages.length > 0) {
        body += `<hr><em>Messages:</em><ul>${messages.map((m) => `<li>${escapeHtml(m)}</li>`).join("")}</ul>`;
    }
    return html(200, errorPage("Permission denied", body));
}

function errorPage(title: string, body: string): string {
    return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)} - authentik</title>\n</head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${body}\n</body>\n</html>\n`;
}

/**
 * The flow interface shell (authentik/flows/views/interface.py FlowInterfaceView, template if/flow.html): the web
 * UI's <ak-flow-executor> drives /api/v3/flows/executor/<slug>/ from the browser; nothing happens server-side.
 */
export function flowShellPage(slug: string, title: string): HttpOut {
    return html(
        200,
        `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n</head>\n<body>\n<ak-flow-executor flowSlug="${escapeHtml(slug)}"></ak-flow-executor>\n</body>\n</html>\n`,
    );
}
