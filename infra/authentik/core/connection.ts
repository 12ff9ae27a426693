import { causes } from "./causes";
import type { Apis } from "./kind";

/**
 * How a provider process reaches Authentik.
 *
 * The API token is never a resource input (inputs are stored in state). The dynamic-provider process receives its
 * provider's configuration through `configure` (Pulumi ≥ 3.136), secrets decrypted: the stack's whole
 * configuration for the default provider, the `authentik` key alone for the one the stack declares
 * (infra/dynamic/provider.ts); either way the provider reads `authentik.token` where the program reads it.
 * `GATEHOUSE_AUTHENTIK_TOKEN` in the environment of `pulumi` (which the engine and its provider processes inherit)
 * overrides it, for CI and for tests that call provider methods directly. The token is kept in a process-global slot, never in a closure, so
 * a provider serialized after `configure` ran in the same process still carries no token.
 */
export const TOKEN_ENV = "GATEHOUSE_AUTHENTIK_TOKEN";

/** Stack config key (in the project's namespace) whose `token` member is the API token. */
export const CONFIG_KEY = "authentik";

const TOKEN_SLOT = "gatehouse.authentik.stack-token";

/** Bounded retries for timeouts, dropped connections, 5xx and 429. */
export interface RetryPolicy {
    readonly attempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    /** Per attempt. */
    readonly timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8_000, timeoutMs: 30_000 };

/** The `config` a dynamic provider's `configure` receives. */
export interface StackConfigReader {
    get(key: string): string | undefined;
}

/** Called from each provider's `configure`: keeps the stack's `authentik.token` for this process. */
export function rememberStackToken(config: StackConfigReader): void {
    let raw: string | undefined;
    try {
        raw = config.get(CONFIG_KEY);
    } catch {
        // An engine that sent no configuration: only the environment can supply the token.
        return;
    }
    if (raw === undefined) return;
    let token: unknown;
    try {
        token = (JSON.parse(raw) as { token?: unknown }).token;
    } catch {
        return;
    }
    if (typeof token === "string" && token !== "") (globalThis as Record<symbol, unknown>)[Symbol.for(TOKEN_SLOT)] = token;
}

/** Forgets a token kept by `rememberStackToken` (tests). */
export function forgetStackToken(): void {
    delete (globalThis as Record<symbol, unknown>)[Symbol.for(TOKEN_SLOT)];
}

/** The token this process uses: the environment override, else the stack's `authentik.token`. */
export function apiToken(): string {
    const fromEnv = process.env[TOKEN_ENV];
    if (fromEnv) return fromEnv;
    const kept = (globalThis as Record<symbol, unknown>)[Symbol.for(TOKEN_SLOT)];
    if (typeof kept === "string" && kept !== "") return kept;
    throw new Error(
        `no Authentik API token: set it with \`pulumi config set --secret --path ${CONFIG_KEY}.token <token>\` (or ${TOKEN_ENV} in the environment of \`pulumi\`)`,
    );
}

/** A resource's own token (the runtime's bootstrap token) when it has one, else the stack's (`apiToken`). */
export function tokenFor(given: string | undefined): string {
    return given !== undefined && given !== "" ? given : apiToken();
}

/** `https://auth.example.com/` → `https://auth.example.com/api/v3`. */
export function apiBase(url: string): string {
    return `${url.replace(/\/+$/, "")}/api/v3`;
}

/**
 * The official client for one Authentik instance. Loaded here, inside the provider method that calls this:
 * the provider process is plain node, and `require` (unlike `await import`) also survives serialization under
 * vitest. `secrets` are values the caller must keep out of messages; the token is added to them.
 */
export function connect(url: string, policy: RetryPolicy, secrets: readonly string[] = [], given?: string): Apis {
    // The seven API modules, not the package's index: that loads all ~1,900 modules (every API and model), a third
    // of a second and more on each provider process start (npm run bench); these load only the models they use.
    const api = (name: string) => require(`@goauthentik/api/dist/apis/${name}`) as typeof import("@goauthentik/api");
    const client = {
        ...(require("@goauthentik/api/dist/runtime") as Pick<typeof import("@goauthentik/api"), "Configuration">),
        ...api("CoreApi"),
        ...api("ProvidersApi"),
        ...api("PropertymappingsApi"),
        ...api("FlowsApi"),
        ...api("CryptoApi"),
        ...api("AdminApi"),
        ...api("PoliciesApi"),
    };
    const token = tokenFor(given);
    const configuration = new client.Configuration({ basePath: apiBase(url), accessToken: token, fetchApi: retryingFetch(policy) });
    return {
        url,
        core: new client.CoreApi(configuration),
        providers: new client.ProvidersApi(configuration),
        propertyMappings: new client.PropertymappingsApi(configuration),
        flows: new client.FlowsApi(configuration),
        crypto: new client.CryptoApi(configuration),
        admin: new client.AdminApi(configuration),
        policies: new client.PoliciesApi(configuration),
        secrets: [token, ...secrets.filter((s) => s !== "")],
    };
}

/** Network failures worth another attempt; a refused connection or unknown host is not one. */
export function isTransientNetworkError(error: unknown): boolean {
    const transient = ["ECONNRESET", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"];
    for (const { name, code } of causes(error)) {
        if (name === "TimeoutError") return true;
        if (typeof code === "string" && transient.includes(code)) return true;
    }
    return false;
}

/**
 * `fetch` with a timeout per attempt and bounded, jittered exponential backoff on timeouts, dropped connections,
 * 5xx and 429. When attempts run out it throws an error named `RetriesExhausted` saying what kept failing.
 * Retrying a POST is safe here: a create that did land is found again by its natural key (see provider.ts).
 */
export function retryingFetch(policy: RetryPolicy): (input: string, init?: RequestInit) => Promise<Response> {
    return async (input, init) => {
        const method = init?.method ?? "GET";
        const path = new URL(input).pathname;
        for (let attempt = 1; ; attempt++) {
            let response: Response | undefined;
            let failure: unknown;
            try {
                response = await fetch(input, { ...init, signal: AbortSignal.timeout(policy.timeoutMs) });
            } catch (error) {
                failure = error;
            }
            const transient = response !== undefined ? response.status >= 500 || response.status === 429 : isTransientNetworkError(failure);
            if (!transient) {
                if (response !== undefined) return response;
                throw failure;
            }
            if (attempt >= policy.attempts) {
                const what =
                    response !== undefined
                        ? `answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`
                        : isTimeout(failure)
                          ? `did not answer within ${policy.timeoutMs / 1000}s`
                          : `dropped the connection (${networkCode(failure) ?? "network error"})`;
                const exhausted = new Error(`${what} to ${method} ${path}, ${attempt} attempts`);
                exhausted.name = "RetriesExhausted";
                throw exhausted;
            }
            const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
            await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random() / 2)));
        }
    };
}

function isTimeout(error: unknown): boolean {
    return error !== null && typeof error === "object" && (error as { name?: unknown }).name === "TimeoutError";
}

/** The first `code` along an error's cause chain (`ECONNREFUSED`, `ENOTFOUND`, …). */
export function networkCode(error: unknown): string | undefined {
    for (const { code } of causes(error)) if (typeof code === "string") return code;
    return undefined;
}
