/**
 * The sign-in side of the emulator: the flow executor API (registered on the API routes), the flow pages
 * (/if/flow/, /flows/-/) and the OAuth2/OIDC endpoints under /application/o/ (authentik/providers/oauth2/urls.py).
 * Its state (sessions, grants, consents) is in memory and emptied by reset().
 */
import type { IncomingMessage } from "node:http";
import type { Db } from "../core/db";
import type { ApiRoutes } from "../routes";
import { requestOrigin } from "../request";
import { RequestContext } from "./context";
import { executorHandler } from "./flows/api";
import { cancelFlow, flowInterface, toDefaultFlow } from "./flows/interface";
import { stageView } from "./flows/stages";
import { jsonOut, notFound, parseForm, type HttpIn, type HttpOut } from "./http";
import { authorizeView } from "./oauth2/authorize";
import { discoveryDocument, jwks, OAUTH_MOUNT, providerForSlug } from "./oauth2/discovery";
import { endSessionView } from "./oauth2/endSession";
import { introspectView, revokeView, userinfoView } from "./oauth2/resource";
import { tokenView } from "./oauth2/token";
import { SignInStores } from "./stores";

/** The path prefixes the sign-in side answers outside /api/v3 */
export const SIGNIN_PREFIXES = [OAUTH_MOUNT, "/if/flow/", "/flows/-/"];

type View = (ctx: RequestContext) => HttpOut | Promise<HttpOut>;

interface Route {
    readonly pattern: RegExp;
    /** Django View methods (head follows get; options is always there) */
    readonly methods: readonly string[];
    readonly view: (ctx: RequestContext, match: RegExpExecArray) => HttpOut | Promise<HttpOut>;
    /** the view reads or writes the session (Vary: Cookie, Set-Cookie) */
    readonly session: boolean;
}

/** View.http_method_not_allowed / View.options: the Allow header lists the view's methods in Django's order */
function allowHeader(methods: readonly string[]): string {
    const order = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"];
    const all = new Set([...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"]);
    return order.filter((m) => all.has(m)).join(", ");
}

export class SignIn {
    readonly stores: SignInStores;
    private readonly routes: Route[];

    constructor(private readonly db: Db) {
        this.stores = new SignInStores(db);
        const slug = (m: RegExpExecArray) => decodeURIComponent(m[1] as string);
        const oauth = (path: string) => new RegExp(`^${OAUTH_MOUNT}${path}$`);
        const json = (status: number, body: unknown): HttpOut => ({ ...jsonOut(status, body), body: JSON.stringify(body, null, 2) });
        const provider = (m: RegExpExecArray) => providerForSlug(db, slug(m));
        this.routes = [
            { pattern: /^\/if\/flow\/([^/]+)\/$/, methods: ["GET"], view: (ctx, m) => flowInterface(ctx, slug(m)), session: true },
            { pattern: /^\/flows\/-\/default\/(authentication|invalidation)\/$/, methods: ["GET"], view: (ctx, m) => toDefaultFlow(ctx, m[1] as string), session: true },
            { pattern: /^\/flows\/-\/cancel\/$/, methods: ["GET"], view: (ctx) => cancelFlow(ctx), session: true },
            { pattern: oauth("authorize/"), methods: ["GET", "POST"], view: (ctx) => authorizeView(ctx, stageView), session: true },
            { pattern: oauth("token/"), methods: ["POST", "OPTIONS"], view: tokenView as View, session: false },
            { pattern: oauth("userinfo/"), methods: ["GET", "POST", "OPTIONS"], view: userinfoView as View, session: false },
            { pattern: oauth("introspect/"), methods: ["POST"], view: introspectView as View, session: false },
            { pattern: oauth("revoke/"), methods: ["POST"], view: revokeView as View, session: false },
            { pattern: oauth("([^/]+)/end-session/"), methods: ["GET", "POST"], view: (ctx, m) => endSessionView(ctx, slug(m), stageView), session: true },
            {
                pattern: oauth("([^/]+)/\\.well-known/openid-configuration"),
                methods: ["GET"],
                view: (ctx, m) => {
                    const p = provider(m);
                    return p ? json(200, discoveryDocument(db, p, slug(m), ctx.req.origin)) : notFound();
                },
                session: false,
            },
            {
                pattern: oauth("([^/]+)/jwks/"),
                methods: ["GET"],
                view: (_ctx, m) => {
                    const p = provider(m);
                    return p ? json(200, jwks(db, p)) : notFound();
                },
                session: false,
            },
        ];
    }

    reset(): void {
        this.stores.clear();
    }

    /** flows_executor_get / flows_executor_solve on the API routes */
    register(routes: ApiRoutes): void {
        const handler = executorHandler(this.db, this.stores, stageView);
        routes.set("flows_executor_get", { handler });
        routes.set("flows_executor_solve", { handler });
    }

    handles(path: string): boolean {
        return SIGNIN_PREFIXES.some((prefix) => path.startsWith(prefix));
    }

    async handle(req: IncomingMessage, raw: Buffer): Promise<HttpOut> {
        const url = new URL(req.url ?? "/", "http://emulator");
        const method = (req.method ?? "GET").toUpperCase();
        const httpIn: HttpIn = {
            method,
            path: url.pathname,
            fullPath: req.url ?? url.pathname,
            query: url.searchParams,
            headers: req.headers,
            origin: requestOrigin(req),
            form: method === "POST" ? parseForm(req.headers, raw) : new URLSearchParams(),
        };
        for (const route of this.routes) {
            const match = route.pattern.exec(url.pathname);
            if (!match) continue;
            const allowed = new Set([...route.methods, ...(route.methods.includes("GET") ? ["HEAD"] : [])]);
            const effective = method === "HEAD" && allowed.has("HEAD") ? { ...httpIn, method: "GET" } : httpIn;
            if (!allowed.has(method) && method !== "OPTIONS") {
                return { status: 405, body: "", type: "text/html; charset=utf-8", headers: { Allow: allowHeader(route.methods) } };
            }
            if (method === "OPTIONS" && !route.methods.includes("OPTIONS")) {
                return { status: 200, body: "", type: "text/html; charset=utf-8", headers: { Allow: allowHeader(route.methods), "Content-Length": "0" } };
            }
            const ctx = await RequestContext.create(this.db, this.stores, effective);
            const out = await route.view(ctx, match);
            return route.session ? ctx.finish(out) : { ...out, headers: { ...out.headers, "X-authentik-id": ctx.requestId } };
        }
        return notFound();
    }
}
