/** A read-only Authentik API client for the audit: GET with the stack's token, every page of a list. */
export type Json = Record<string, unknown>;

export class AuthentikReader {
    constructor(
        private readonly url: string,
        private readonly token: string,
    ) {}

    /** GET `/api/v3<path>`; a non-2xx answer throws naming the path and status, never the token. */
    async get(path: string): Promise<Json> {
        const base = this.url.replace(/\/+$/, "");
        let response: Response;
        try {
            response = await fetch(`${base}/api/v3${path}`, { headers: { Authorization: `Bearer ${this.token}`, Accept: "application/json" } });
        } catch (error) {
            const cause = (error as { cause?: { code?: string; message?: string } }).cause;
            throw new Error(`cannot reach Authentik at ${base} (${cause?.code ?? cause?.message ?? "fetch failed"})`);
        }
        if (!response.ok) throw new Error(`Authentik answered HTTP ${response.status} to GET /api/v3${path.split("?")[0]}`);
        return (await response.json()) as Json;
    }

    /** Every result of a paginated list (`?…&page=n`). */
    async list(path: string): Promise<Json[]> {
        const out: Json[] = [];
        const sep = path.includes("?") ? "&" : "?";
        for (let page = 1; page < 100; page++) {
            const body = await this.get(`${path}${sep}page_size=100&page=${page}`);
            out.push(...((body.results as Json[] | undefined) ?? []));
            const next = (body.pagination as { next?: number } | undefined)?.next;
            if (!next) break;
        }
        return out;
    }
}

/** An absolute URL of Authentik's (discovery), fetched as JSON. */
export async function getJson(url: string): Promise<Json> {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${new URL(url).pathname} answered HTTP ${response.status}`);
    return (await response.json()) as Json;
}
