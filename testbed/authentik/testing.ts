/**
 * A tiny JSON client for tests and benchmarks of the emulator (raw HTTP, so tests see
 * exactly the status and body the emulator sends).
 */
export interface JsonResponse<T = unknown> {
    readonly status: number;
    readonly body: T;
    readonly text: string;
    readonly headers: Headers;
}

export type AnyJson = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience only

export class RawClient {
    /** `base` may be a function, for a client made before its server listens (see fixture.ts) */
    constructor(
        private readonly base: string | (() => string),
        private readonly token: string | undefined,
    ) {}

    get url(): string {
        return typeof this.base === "string" ? this.base : this.base();
    }

    async request<T = AnyJson>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
        const init: RequestInit = {
            method,
            headers: {
                ...(this.token !== undefined ? { Authorization: `Bearer ${this.token}` } : {}),
                ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
                ...headers,
            },
            ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
        };
        const response = await fetch(`${this.url}${path}`, init);
        const text = await response.text();
        let parsed: unknown = undefined;
        if (text !== "" && (response.headers.get("content-type") ?? "").includes("json")) parsed = JSON.parse(text);
        return { status: response.status, body: parsed as T, text, headers: response.headers };
    }

    get<T = AnyJson>(path: string) {
        return this.request<T>("GET", `/api/v3${path}`);
    }
    post<T = AnyJson>(path: string, body: unknown) {
        return this.request<T>("POST", `/api/v3${path}`, body);
    }
    put<T = AnyJson>(path: string, body: unknown) {
        return this.request<T>("PUT", `/api/v3${path}`, body);
    }
    patch<T = AnyJson>(path: string, body: unknown) {
        return this.request<T>("PATCH", `/api/v3${path}`, body);
    }
    delete<T = AnyJson>(path: string) {
        return this.request<T>("DELETE", `/api/v3${path}`);
    }
}

/** pk of a seeded flow, by slug. */
export async function flowPk(api: RawClient, slug: string): Promise<string> {
    const res = await api.get(`/flows/instances/${slug}/`);
    if (res.status !== 200) throw new Error(`flow ${slug}: HTTP ${res.status}`);
    return res.body.pk as string;
}

/** A valid OAuth2 provider request using the default flows. */
export async function providerBody(api: RawClient, overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return {
        name: "gatehouse-provider",
        authorization_flow: await flowPk(api, "default-provider-authorization-implicit-consent"),
        invalidation_flow: await flowPk(api, "default-provider-invalidation-flow"),
        redirect_uris: [{ matching_mode: "strict", url: "https://app.example.com/oauth/callback" }],
        ...overrides,
    };
}

export const MISSING_UUID = "00000000-0000-4000-8000-000000000000";
