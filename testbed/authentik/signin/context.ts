/**
 * One request as authentik's middleware chain prepares it (authentik/root/settings.py MIDDLEWARE): the session
 * (SessionMiddleware), request.user (AuthenticationMiddleware), request.brand (BrandMiddleware), request.request_id
 * (RequestIDMiddleware, echoed as the X-authentik-id response header), the CSRF cookie (CsrfViewMiddleware) — and
 * on the way out the cookies those write.
 */
import { randomUUID } from "node:crypto";
import type { BrandRecord, Db, UserRecord } from "../core/db";
import { userUid } from "../kinds/users";
import { CSRF_COOKIE_NAME, csrfCookieHeader, newCsrfSecret } from "./csrf";
import { isSecure, parseCookies, type HttpIn, type HttpOut } from "./http";
import type { SignInStores } from "./stores";
import { deleteCookieHeader, SESSION_COOKIE_NAME, setCookieHeader, type LoginEvent, type Session } from "./session";

export class RequestContext {
    /** RequestIDMiddleware: uuid4().hex */
    readonly requestId = randomUUID().replace(/-/g, "");
    readonly cookies: Map<string, string>;
    /** CSRF_COOKIE_NEEDS_UPDATE: a rotated secret to send */
    private csrfOut: string | undefined;

    private constructor(
        readonly db: Db,
        readonly stores: SignInStores,
        readonly req: HttpIn,
        public session: Session,
        cookies: Map<string, string>,
    ) {
        this.cookies = cookies;
    }

    static async create(db: Db, stores: SignInStores, req: HttpIn): Promise<RequestContext> {
        const cookies = parseCookies(req.headers);
        const session = await stores.sessions.load(cookies.get(SESSION_COOKIE_NAME));
        return new RequestContext(db, stores, req, session, cookies);
    }

    /**
     * request.user: the session's user, when it still exists and is active (ModelBackend.get_user returns None
     * for inactive users, which leaves the request anonymous).
     */
    get user(): UserRecord | undefined {
        const auth = this.session.data.auth;
        if (!auth) return undefined;
        const user = this.db.users.get(auth.userPk);
        return user && user.is_active ? user : undefined;
    }

    get loginEvent(): LoginEvent | undefined {
        return this.user ? this.session.data.auth?.login : undefined;
    }

    /**
     * request.brand (authentik/brands/utils.py get_brand_for_request): a brand whose domain the host ends with
     * (case-insensitive), else the default brand.
     */
    get brand(): BrandRecord | undefined {
        const host = new URL(this.req.origin).host.toLowerCase();
        let fallback: BrandRecord | undefined;
        for (const brand of this.db.brands.values()) {
            if (brand.default) fallback ??= brand;
            else if (host.endsWith(brand.domain.toLowerCase())) return brand;
        }
        return fallback;
    }

    /** django.contrib.auth.login(): new session key, the user in the session, a rotated CSRF token. */
    login(user: UserRecord, backend: string, login: Omit<LoginEvent, "pk" | "created">): void {
        const previous = this.session.data.auth;
        if (!previous) this.session.cycleKey(this.stores.sessions);
        else if (previous.userPk !== user.pk) {
            // "To avoid reusing another user's session, create a new, empty session"
            this.endAuthenticatedSession();
            this.session.flush(this.stores.sessions);
        }
        this.session.set("auth", { userPk: user.pk, backend, login: { ...login, pk: randomUUID(), created: new Date() } });
        this.csrfOut = newCsrfSecret();
        // user_logged_in: update_last_login
        user.last_login = new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
    }

    /** django.contrib.auth.logout(): the session is flushed, and with the AuthenticatedSession its access tokens. */
    logout(): void {
        this.endAuthenticatedSession();
        this.session.flush(this.stores.sessions);
    }

    private endAuthenticatedSession(): void {
        const auth = this.session.data.auth;
        if (this.session.key && auth) this.stores.tokens.sessionDeleted(this.session.key, auth.userPk);
    }

    /** SessionMiddleware / CsrfViewMiddleware process_response, RequestIDMiddleware. */
    async finish(out: HttpOut): Promise<HttpOut> {
        const headers: Record<string, string | string[]> = { ...out.headers, "X-authentik-id": this.requestId };
        const cookies: string[] = [];
        const secure = isSecure(this.req);
        const sameSite = secure ? "None" : "Lax";
        const session = this.session;
        if (this.cookies.has(SESSION_COOKIE_NAME) && session.isEmpty()) {
            cookies.push(deleteCookieHeader(SESSION_COOKIE_NAME, sameSite));
        } else if (session.modified && !session.isEmpty() && out.status !== 500) {
            const key = this.stores.sessions.save(session);
            const user = this.user;
            const value = await this.stores.sessions.encode(key, user ? userUid(this.db, user) : undefined);
            const maxAge = session.expireAtBrowserClose() ? undefined : session.expiryAge();
            cookies.push(setCookieHeader(SESSION_COOKIE_NAME, value, { maxAge, secure, httpOnly: true, sameSite }));
        }
        if (this.csrfOut) cookies.push(csrfCookieHeader(this.csrfOut, secure));
        if (cookies.length > 0) headers["Set-Cookie"] = cookies;
        headers.Vary = "Cookie";
        return { ...out, headers };
    }

    /** A malformed CSRF cookie is replaced (CsrfViewMiddleware.process_request). */
    rotateCsrf(): void {
        this.csrfOut = newCsrfSecret();
    }

    get csrfCookie(): string | undefined {
        return this.cookies.get(CSRF_COOKIE_NAME);
    }
}
