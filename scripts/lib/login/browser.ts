/**
 * Just enough of a browser for a headless sign-in: a cookie jar per host, redirects followed by hand (so the
 * caller sees each hop, and the final redirect to the app's callback is not followed), and the headers a browser
 * sends with a same-origin POST (Origin, Referer, and Django's CSRF header from authentik's CSRF cookie).
 */

/** authentik's CSRF cookie and header (settings CSRF_COOKIE_NAME, CSRF_HEADER_NAME; web UI's CSRF middleware). */
export const CSRF_COOKIE = "authentik_csrf";
export const CSRF_HEADER = "X-authentik-CSRF";

export interface BrowserResponse {
    readonly url: URL;
    readonly status: number;
    readonly location?: URL;
    readonly contentType: string;
    readonly text: string;
}

export class HeadlessBrowser {
    /** host → cookie name → value */
    private readonly jar = new Map<string, Map<string, string>>();

    cookie(url: URL, name: string): string | undefined {
        return this.jar.get(url.host)?.get(name);
    }

    async get(url: URL, referer?: URL): Promise<BrowserResponse> {
        return this.send(url, { method: "GET", headers: { Accept: "text/html,application/json", ...(referer && { Referer: referer.href }) } });
    }

    /** A JSON request from a page at `page` (what the flow interface's API client sends). */
    async json(method: "GET" | "POST", url: URL, page: URL, body?: unknown): Promise<BrowserResponse> {
        const headers: Record<string, string> = { Accept: "application/json", Referer: page.href };
        if (method === "POST") {
            headers["Content-Type"] = "application/json";
            headers.Origin = page.origin;
            const csrf = this.cookie(url, CSRF_COOKIE);
            if (csrf !== undefined) headers[CSRF_HEADER] = csrf;
        }
        return this.send(url, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
    }

    private async send(url: URL, init: { method: string; headers: Record<string, string>; body?: string }): Promise<BrowserResponse> {
        const cookies = [...(this.jar.get(url.host) ?? new Map<string, string>()).entries()].map(([k, v]) => `${k}=${v}`).join("; ");
        const response = await fetch(url, {
            method: init.method,
            redirect: "manual",
            headers: { ...init.headers, ...(cookies !== "" && { Cookie: cookies }) },
            ...(init.body !== undefined && { body: init.body }),
        });
        this.remember(url, response.headers.getSetCookie());
        const location = response.headers.get("location");
        return {
            url,
            status: response.status,
            ...(location !== null && { location: new URL(location, url) }),
            contentType: response.headers.get("content-type") ?? "",
            text: await response.text(),
        };
    }

    private remember(url: URL, setCookies: readonly string[]): void {
        let cookies = this.jar.get(url.host);
        if (cookies === undefined) this.jar.set(url.host, (cookies = new Map()));
        for (const line of setCookies) {
            const [pair, ...attributes] = line.split(";");
            const eq = (pair ?? "").indexOf("=");
            if (eq <= 0) continue;
            const name = pair!.slice(0, eq).trim();
            const value = pair!.slice(eq + 1).trim();
            const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || value === "";
            if (expired) cookies.delete(name);
            else cookies.set(name, value);
        }
    }
}
