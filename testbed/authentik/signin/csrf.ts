/**
 * CSRF as authentik's API applies it: DRF's SessionAuthentication (one of REST_FRAMEWORK's
 * DEFAULT_AUTHENTICATION_CLASSES, after authentik's TokenAuthentication) runs Django's CsrfViewMiddleware checks
 * for unsafe methods, but only when the request carries a session of an active user
 * (rest_framework/authentication.py enforce_csrf; failures are 403 `{"detail": "CSRF Failed: <reason>"}`).
 * Settings (authentik/root/settings.py): CSRF_COOKIE_NAME = "authentik_csrf", CSRF_HEADER_NAME =
 * HTTP_X_AUTHENTIK_CSRF (the header X-authentik-CSRF). The checks and messages are
 * django/middleware/csrf.py's: Origin, then (HTTPS only) Referer, then cookie and token.
 *
 * The cookie is only ever set when Django rotates the token, which login() does; its attributes are authentik's
 * CsrfViewMiddleware._set_csrf_cookie: a year's Max-Age, Path=/, SameSite=Lax, Secure over TLS, not HttpOnly.
 */
import { randomInt } from "node:crypto";
import { hostOf, isSecure, type HttpIn } from "./http";
import { setCookieHeader } from "./session";

export const CSRF_COOKIE_NAME = "authentik_csrf";
const HEADER = "x-authentik-csrf";
/** HttpHeaders.parse_header_name("HTTP_X_AUTHENTIK_CSRF") */
const HEADER_DISPLAY = "X-Authentik-Csrf";
const CSRF_COOKIE_AGE = 31_449_600;
const ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SECRET_LENGTH = 32;

/** _get_new_csrf_string() */
export function newCsrfSecret(): string {
    let out = "";
    for (let i = 0; i < SECRET_LENGTH; i++) out += ALLOWED[randomInt(ALLOWED.length)];
    return out;
}

class InvalidTokenFormat extends Error {}

/** _check_token_format */
function checkFormat(token: string): void {
    if (token.length !== SECRET_LENGTH && token.length !== 2 * SECRET_LENGTH) throw new InvalidTokenFormat("has incorrect length");
    if (/[^a-zA-Z0-9]/.test(token)) throw new InvalidTokenFormat("has invalid characters");
}

/** _unmask_cipher_token */
function unmask(token: string): string {
    const mask = token.slice(0, SECRET_LENGTH);
    const cipher = token.slice(SECRET_LENGTH);
    let out = "";
    for (let i = 0; i < SECRET_LENGTH; i++) {
        const x = ALLOWED.indexOf(cipher[i] as string);
        const y = ALLOWED.indexOf(mask[i] as string);
        out += ALLOWED[(x - y + ALLOWED.length) % ALLOWED.length];
    }
    return out;
}

function asSecret(token: string): string {
    return token.length === 2 * SECRET_LENGTH ? unmask(token) : token;
}

/** _origin_verified without CSRF_TRUSTED_ORIGINS (authentik sets none) */
function originVerified(req: HttpIn, origin: string): boolean {
    return origin === `${isSecure(req) ? "https" : "http"}://${hostOf(req)}`;
}

/** _check_referer (only reached over HTTPS without an Origin header) */
function refererProblem(req: HttpIn): string | undefined {
    const referer = req.headers.referer;
    if (referer === undefined) return "Referer checking failed - no Referer.";
    let parsed: URL;
    try {
        parsed = new URL(referer);
    } catch {
        return "Referer checking failed - Referer is malformed.";
    }
    if (!parsed.protocol || !parsed.host) return "Referer checking failed - Referer is malformed.";
    if (parsed.protocol !== "https:") return "Referer checking failed - Referer is insecure while host is secure.";
    if (parsed.host !== hostOf(req)) return `Referer checking failed - ${referer} does not match any trusted origins.`;
    return undefined;
}

export interface CsrfOutcome {
    /** the reason of a rejection (DRF: "CSRF Failed: " + reason) */
    readonly reason?: string;
    /** the cookie was malformed: Django issues a new one */
    readonly rotate?: boolean;
}

/** CsrfViewMiddleware.process_view for an unsafe method, as DRF's CSRFCheck runs it. */
export function checkCsrf(req: HttpIn, cookie: string | undefined): CsrfOutcome {
    const origin = req.headers.origin;
    if (origin !== undefined) {
        if (!originVerified(req, origin)) return { reason: `Origin checking failed - ${origin} does not match any trusted origins.` };
    } else if (isSecure(req)) {
        const problem = refererProblem(req);
        if (problem) return { reason: problem };
    }
    let secret: string;
    if (cookie === undefined) return { reason: "CSRF cookie not set." };
    try {
        checkFormat(cookie);
        secret = asSecret(cookie);
    } catch (error) {
        return { reason: `CSRF cookie ${(error as Error).message}.`, rotate: true };
    }
    // request.POST's csrfmiddlewaretoken is empty for JSON bodies: the header it is
    const header = req.headers[HEADER];
    const token = Array.isArray(header) ? header[0] : header;
    if (token === undefined) return { reason: "CSRF token missing." };
    try {
        checkFormat(token);
    } catch (error) {
        return { reason: `CSRF token from the '${HEADER_DISPLAY}' HTTP header ${(error as Error).message}.` };
    }
    if (asSecret(token) !== secret) return { reason: `CSRF token from the '${HEADER_DISPLAY}' HTTP header incorrect.` };
    return {};
}

export function csrfCookieHeader(secret: string, secure: boolean): string {
    return setCookieHeader(CSRF_COOKIE_NAME, secret, { maxAge: CSRF_COOKIE_AGE, secure, httpOnly: false, sameSite: "Lax" });
}
