/**
 * authentik's browser session (authentik/root/middleware.py SessionMiddleware, SESSION_ENGINE
 * authentik.core.sessions): a server-side session in memory, named by the `authentik_session` cookie. The cookie's
 * value is not the session key but an HS256 JWT `{sid, iss: "authentik", sub, authenticated, acr}` signed with
 * sha512(SECRET_KEY).hexdigest(); `sub` is the user's uid once logged in, else "anonymous".
 *
 * Cookie attributes (SessionMiddleware.process_response): Path=/, HttpOnly, SameSite=None + Secure over TLS, else
 * SameSite=Lax; no expiry while the session expires at browser close (SESSION_EXPIRE_AT_BROWSER_CLOSE, and the
 * user_login stage's default session_duration of 0), else Max-Age and expires. Saved and re-sent only when the
 * session was modified and is not empty; an empty session whose cookie came in gets its cookie deleted.
 */
import { createHash, randomBytes } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import type { FlowPlan } from "./flows/plan";

export const SESSION_COOKIE_NAME = "authentik_session";
/** authentik/root/middleware.py ACR_AUTHENTIK_SESSION */
const ACR_AUTHENTIK_SESSION = "goauthentik.io/core/default";
/** SESSION_COOKIE_AGE: sessions.unauthenticated_age, days=1 */
export const SESSION_COOKIE_AGE_SECONDS = 86_400;

/** The login event authentik records on user_logged_in (events/signals.py; read back by get_login_event). */
export interface LoginEvent {
    readonly pk: string;
    readonly created: Date;
    /** PLAN_CONTEXT_METHOD, e.g. "password" */
    readonly method: string;
    readonly methodArgs: Record<string, unknown>;
}

/** What the emulator keeps in a session, under the keys authentik uses. */
export interface SessionData {
    /** authentik/flows/plan */
    plan?: FlowPlan;
    /** authentik/flows/get: the query the flow was started with (QueryDict, kept as pairs) */
    flowGet?: Array<[string, string]>;
    /** _auth_user_id / _auth_user_backend, and the authenticated session's login event */
    auth?: { readonly userPk: number; readonly backend: string; readonly login: LoginEvent };
    /** authentik/flows/application_pre (pk) */
    applicationPre?: string;
    /** authentik/stages/consent/token */
    consentToken?: string;
    /** authentik/providers/oauth2/last_login_uid */
    lastLoginUid?: string;
}

export class Session {
    /** session_key; null until first saved */
    key: string | null;
    data: SessionData;
    modified = false;
    /** set_expiry(): undefined = default (browser close), 0 = browser close, else seconds */
    expiry: number | undefined;

    constructor(key: string | null, data: SessionData, expiry: number | undefined) {
        this.key = key;
        this.data = data;
        this.expiry = expiry;
    }

    set<K extends keyof SessionData>(key: K, value: SessionData[K]): void {
        this.data[key] = value;
        this.modified = true;
    }

    delete(key: keyof SessionData): void {
        if (key in this.data) {
            delete this.data[key];
            this.modified = true;
        }
    }

    isEmpty(): boolean {
        return Object.keys(this.data).length === 0 && this.key === null;
    }

    /** cycle_key(): a new key for the same data (django.contrib.auth.login) */
    cycleKey(store: SessionStore): void {
        if (this.key) store.delete(this.key);
        this.key = null;
        this.modified = true;
    }

    /** flush(): empty data and a new key (django.contrib.auth.logout) */
    flush(store: SessionStore): void {
        if (this.key) store.delete(this.key);
        this.key = null;
        this.data = {};
        this.expiry = undefined;
        this.modified = true;
    }

    expireAtBrowserClose(): boolean {
        return this.expiry === undefined || this.expiry === 0;
    }

    /** get_expiry_age() */
    expiryAge(): number {
        return this.expiry === undefined || this.expiry === 0 ? SESSION_COOKIE_AGE_SECONDS : this.expiry;
    }
}

interface Stored {
    data: SessionData;
    expiry: number | undefined;
    expiresAt: number;
}

/** Session keys as Django makes them: 32 characters of [a-z0-9]. */
function newSessionKey(): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    let out = "";
    for (const byte of randomBytes(32)) out += alphabet[byte % alphabet.length];
    return out;
}

export class SessionStore {
    private readonly sessions = new Map<string, Stored>();

    constructor(private readonly secretKey: () => string) {}

    clear(): void {
        this.sessions.clear();
    }

    delete(key: string): void {
        this.sessions.delete(key);
    }

    private signingKey(): Uint8Array {
        // SIGNING_HASH = sha512(settings.SECRET_KEY.encode()).hexdigest()
        return new TextEncoder().encode(createHash("sha512").update(this.secretKey()).digest("hex"));
    }

    /** SessionMiddleware.process_request: decode the cookie, load the session (a fresh one when unknown). */
    async load(cookie: string | undefined): Promise<Session> {
        const key = cookie ? await this.decode(cookie) : undefined;
        const stored = key ? this.sessions.get(key) : undefined;
        if (!key || !stored || stored.expiresAt <= Date.now()) {
            if (key) this.sessions.delete(key);
            return new Session(null, {}, undefined);
        }
        return new Session(key, stored.data, stored.expiry);
    }

    private async decode(cookie: string): Promise<string | undefined> {
        try {
            const { payload } = await jwtVerify(cookie, this.signingKey(), { algorithms: ["HS256"] });
            return typeof payload.sid === "string" ? payload.sid : undefined;
        } catch {
            return undefined;
        }
    }

    /** session.save(): assigns a key to a new session */
    save(session: Session): string {
        session.key ??= newSessionKey();
        this.sessions.set(session.key, {
            data: session.data,
            expiry: session.expiry,
            expiresAt: Date.now() + session.expiryAge() * 1000,
        });
        return session.key;
    }

    /** SessionMiddleware.encode_session */
    async encode(sessionKey: string, userUid: string | undefined): Promise<string> {
        return new SignJWT({
            sid: sessionKey,
            iss: "authentik",
            sub: userUid ?? "anonymous",
            authenticated: userUid !== undefined,
            acr: ACR_AUTHENTIK_SESSION,
        })
            .setProtectedHeader({ alg: "HS256", typ: "JWT" })
            .sign(this.signingKey());
    }
}

/** django.utils.http.http_date */
export function httpDate(epochMs: number): string {
    return new Date(epochMs).toUTCString();
}

/** Python's http.cookies Morsel output as Django sets cookies: attributes sorted by name. */
export function setCookieHeader(
    name: string,
    value: string,
    options: { maxAge?: number; secure: boolean; httpOnly: boolean; sameSite: string },
): string {
    let out = `${name}=${value}`;
    if (options.maxAge !== undefined) out += `; expires=${httpDate(Date.now() + options.maxAge * 1000)}`;
    if (options.httpOnly) out += "; HttpOnly";
    if (options.maxAge !== undefined) out += `; Max-Age=${options.maxAge}`;
    out += "; Path=/";
    out += `; SameSite=${options.sameSite}`;
    if (options.secure) out += "; Secure";
    return out;
}

/** HttpResponse.delete_cookie */
export function deleteCookieHeader(name: string, sameSite: string): string {
    const secure = sameSite.toLowerCase() === "none";
    return `${name}=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=${sameSite}${secure ? "; Secure" : ""}`;
}
