/**
 * A headless browser for tests of the sign-in side: it keeps cookies, follows redirects by hand, and where a
 * browser would load authentik's flow interface (/if/flow/<slug>/?…) it does what the web UI's flow executor does:
 * GET /api/v3/flows/executor/<slug>/?query=<the page's query>, answer each challenge with a POST (JSON, with the
 * X-authentik-CSRF header from the authentik_csrf cookie), follow the executor's 302s with GET, until a
 * `xak-flow-redirect`, whose target it navigates to. Navigation stops at the first URL off the server's origin
 * (the client's redirect URI) and returns it.
 */

export interface Credentials {
    readonly username: string;
    readonly password: string;
}

export type Challenge = Record<string, unknown> & { component: string };

/** What the browser answers to a challenge: a body to POST, or undefined to stop (the flow is left there) */
export type Answerer = (challenge: Challenge) => Record<string, unknown> | undefined;

/** Answers for the default flows: identification, password, consent (accepted), user login. */
export function defaultAnswers(credentials: Credentials): Answerer {
    return (challenge) => {
        switch (challenge.component) {
            case "ak-stage-identification":
                return { component: challenge.component, uid_field: credentials.username };
            case "ak-stage-password":
                return { component: challenge.component, password: credentials.password };
            case "ak-stage-consent":
                return { component: challenge.component, token: challenge.token };
            case "ak-stage-user-login":
                return { component: challenge.component, remember_me: false };
            default:
                return undefined;
        }
    };
}

export interface FlowStep {
    readonly method: string;
    readonly url: string;
    readonly status: number;
    readonly challenge?: Challenge;
}

export class FlowStopped extends Error {
    constructor(readonly challenge: Challenge) {
        super(`flow stopped at ${challenge.component}: ${JSON.stringify(challenge)}`);
    }
}

export class HeadlessBrowser {
    readonly cookies = new Map<string, string>();
    /** every executor request and its answer, for assertions */
    readonly steps: FlowStep[] = [];

    constructor(readonly base: string) {}

    private store(response: Response): void {
        for (const header of response.headers.getSetCookie()) {
            const [pair, ...attributes] = header.split(";");
            const eq = (pair ?? "").indexOf("=");
            const name = (pair ?? "").slice(0, eq).trim();
            const value = (pair ?? "").slice(eq + 1).trim();
            const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
            if (expired || value === '""') this.cookies.delete(name);
            else this.cookies.set(name, value);
        }
    }

    /** fetch with this browser's cookies; redirects are not followed */
    async request(url: string, init: RequestInit = {}): Promise<Response> {
        const headers = new Headers(init.headers);
        if (this.cookies.size > 0) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
        const response = await fetch(new URL(url, this.base), { ...init, headers, redirect: "manual" });
        this.store(response);
        return response;
    }

    /** GET /api/v3/flows/executor/<slug>/ with the flow page's query, answering challenges until a redirect */
    async runFlow(slug: string, pageQuery: string, answer: Answerer): Promise<string> {
        const executor = `/api/v3/flows/executor/${slug}/?query=${encodeURIComponent(pageQuery)}`;
        let response = await this.request(executor);
        for (let i = 0; i < 50; i++) {
            if (response.status === 302) {
                const location = response.headers.get("location") ?? "";
                this.steps.push({ method: "GET", url: executor, status: 302 });
                response = await this.request(location);
                continue;
            }
            if (response.status !== 200) throw new Error(`flow executor answered ${response.status}: ${await response.text()}`);
            const challenge = (await response.json()) as Challenge;
            this.steps.push({ method: "GET", url: executor, status: 200, challenge });
            if (challenge.component === "xak-flow-redirect") {
                const to = String(challenge.to);
                // a redirect back into the executor API (authentik's URLs differed): fetch it as the UI would
                if (!to.startsWith("/api/v3/flows/executor/")) return to;
                response = await this.request(to);
                continue;
            }
            const body = answer(challenge);
            if (!body) throw new FlowStopped(challenge);
            const csrf = this.cookies.get("authentik_csrf");
            response = await this.request(executor, {
                method: "POST",
                headers: { "Content-Type": "application/json", ...(csrf ? { "X-authentik-CSRF": csrf } : {}) },
                body: JSON.stringify(body),
            });
        }
        throw new Error(`flow ${slug}: no redirect after 50 steps`);
    }

    /**
     * Navigate to a URL as a browser would: follow redirects on the server, run flow pages, and return the first URL
     * off the server's origin (or the last page reached, when it is not a redirect).
     */
    async navigate(url: string, answer: Answerer): Promise<{ url: string; response?: Response }> {
        let current = new URL(url, this.base);
        const origin = new URL(this.base).origin;
        for (let i = 0; i < 30; i++) {
            if (current.origin !== origin) return { url: current.toString() };
            const flow = /^\/if\/flow\/([^/]+)\/$/.exec(current.pathname);
            if (flow) {
                await this.request(current.toString()); // the interface page itself
                const to = await this.runFlow(decodeURIComponent(flow[1] as string), current.search.slice(1), answer);
                current = new URL(to, current);
                continue;
            }
            const response = await this.request(current.toString());
            const location = response.headers.get("location");
            if (response.status >= 300 && response.status < 400 && location) {
                current = new URL(location, current);
                continue;
            }
            return { url: current.toString(), response };
        }
        throw new Error(`navigation from ${url}: too many redirects`);
    }

    /** Sign in through a flow (default: the default authentication flow) */
    async login(credentials: Credentials, slug = "default-authentication-flow"): Promise<string> {
        return this.runFlow(slug, "", defaultAnswers(credentials));
    }
}
