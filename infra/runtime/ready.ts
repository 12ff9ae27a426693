import * as pulumi from "@pulumi/pulumi";
import { causes } from "../authentik/core/causes";

/**
 * Waits until the runtime's Authentik answers its API with the bootstrap token, so the Authentik resources that take
 * its `url` output run against a ready instance (and a preview of a fresh stack skips them: the URL is unknown).
 * Declared only when the runtime runs Authentik: a stack with an Authentik of its own never waits.
 *
 * authentik reads AUTHENTIK_BOOTSTRAP_TOKEN and AUTHENTIK_BOOTSTRAP_PASSWORD only on its first start (the bootstrap
 * blueprint creates them once), so a rotation would leave the old ones in its database: when either input changes,
 * the provider sets the new token key (`POST /core/tokens/authentik-bootstrap-token/set_key/`, with whichever token
 * authentik still takes) and akadmin's password (`set_password`).
 *
 * Serialized into state with its provider: every function here is self-contained (fetch and timers only).
 */
export interface ReadyInputs {
    readonly url: string;
    /** Secret. */
    readonly token: string;
    /** akadmin's password (AUTHENTIK_BOOTSTRAP_PASSWORD); secret. */
    readonly bootstrapPassword?: string;
    readonly deadlineSeconds: number;
    readonly intervalMs: number;
    /** Ids of the containers serving it: a replaced container means waiting again. */
    readonly after: string[];
}

export interface WaitOptions {
    readonly url: string;
    /** Tokens to try, in order (the new one first); the one authentik takes is returned. */
    readonly tokens: readonly string[];
    readonly deadlineMs: number;
    readonly intervalMs: number;
    /** Progress lines (the provider's stderr, which the engine shows), one every `progressEveryMs` (default 10 s). */
    readonly log?: (line: string) => void;
    readonly progressEveryMs?: number;
}

/** Polls `GET /api/v3/core/users/me/` until a token is taken; throws naming the URL when the deadline passes. */
export async function waitForAuthentik(options: WaitOptions): Promise<string> {
    const base = options.url.replace(/\/+$/, "");
    const started = Date.now();
    const deadline = started + options.deadlineMs;
    let last = "no answer yet";
    let lastLogged = 0;
    const codeOf = (error: unknown): string => {
        for (const { code, name } of causes(error)) {
            if (typeof code === "string") return code;
            if (name === "TimeoutError") return "no answer within the attempt's timeout";
        }
        return String((error as { message?: unknown })?.message ?? error);
    };
    for (;;) {
        for (const token of options.tokens) {
            const remaining = deadline - Date.now();
            if (remaining <= 0) break;
            try {
                const response = await fetch(`${base}/api/v3/core/users/me/`, {
                    headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
                    signal: AbortSignal.timeout(Math.max(1, Math.min(10_000, remaining))),
                });
                await response.arrayBuffer().catch(() => undefined);
                if (response.ok) return token;
                last = response.status === 401 || response.status === 403 ? `HTTP ${response.status}: the API answers but does not take the bootstrap token yet (the worker creates it on first start)` : `HTTP ${response.status}`;
            } catch (error) {
                last = codeOf(error);
            }
        }
        const now = Date.now();
        if (now >= deadline) {
            const seconds = Math.round(options.deadlineMs / 1000);
            throw new Error(`Authentik at ${base} did not answer within ${seconds} s (last: ${last}); is the runtime's server container running? See \`docker logs\` of its server and worker`);
        }
        if (options.log && now - lastLogged >= (options.progressEveryMs ?? 10_000)) {
            options.log(`waiting for Authentik at ${base} (${Math.round((now - started) / 1000)} s of ${Math.round(options.deadlineMs / 1000)} s): ${last}`);
            lastLogged = now;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs, Math.max(0, deadline - Date.now()))));
    }
}

/** An API call for credential sync; throws with the status and authentik's answer (never a secret). */
async function call(base: string, token: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${base}/api/v3${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, Accept: "application/json", ...(body !== undefined && { "Content-Type": "application/json" }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`);
    return text === "" ? undefined : (JSON.parse(text) as unknown);
}

/** Brings authentik's bootstrap token and akadmin's password to the inputs' values after a rotation. */
export async function syncCredentials(news: ReadyInputs, olds: Partial<ReadyInputs>, log: (line: string) => void): Promise<void> {
    const base = news.url.replace(/\/+$/, "");
    const tokens = [news.token, ...(olds.token !== undefined && olds.token !== news.token ? [olds.token] : [])];
    const taken = await waitForAuthentik({ url: base, tokens, deadlineMs: news.deadlineSeconds * 1000, intervalMs: news.intervalMs, log });
    if (taken !== news.token) {
        log(`setting authentik's bootstrap token to the rotated one at ${base}`);
        await call(base, taken, "POST", "/core/tokens/authentik-bootstrap-token/set_key/", { key: news.token });
    }
    if (news.bootstrapPassword !== undefined && olds.bootstrapPassword !== undefined && news.bootstrapPassword !== olds.bootstrapPassword) {
        const users = (await call(base, news.token, "GET", "/core/users/?username=akadmin")) as { results: { pk: number; username: string }[] };
        const admin = users.results.find((u) => u.username === "akadmin");
        if (admin === undefined) throw new Error(`no user akadmin at ${base}: cannot set the rotated bootstrap password`);
        log(`setting akadmin's password to the rotated bootstrap password at ${base}`);
        await call(base, news.token, "POST", `/core/users/${admin.pk}/set_password/`, { password: news.bootstrapPassword });
    }
}

const provider: pulumi.dynamic.ResourceProvider = {
    async diff(_id, olds, news) {
        const keys = ["url", "token", "bootstrapPassword", "deadlineSeconds", "intervalMs", "after"];
        const changed = keys.filter((key) => JSON.stringify((olds as Record<string, unknown>)[key]) !== JSON.stringify((news as Record<string, unknown>)[key]));
        return { changes: changed.length > 0 };
    },
    async create(inputs) {
        const news = inputs as ReadyInputs;
        await waitForAuthentik({ url: news.url, tokens: [news.token], deadlineMs: news.deadlineSeconds * 1000, intervalMs: news.intervalMs, log: (line) => console.error(line) });
        return { id: news.url, outs: { ...news } };
    },
    async update(_id, olds, news) {
        await syncCredentials(news as ReadyInputs, olds as Partial<ReadyInputs>, (line) => console.error(line));
        return { outs: { ...(news as ReadyInputs) } };
    },
    async delete() {
        // Nothing to undo: the containers go with their own resources.
    },
};

export interface AuthentikReadyArgs {
    readonly url: pulumi.Input<string>;
    /** The bootstrap token; made a secret here. */
    readonly token: pulumi.Input<string>;
    readonly bootstrapPassword?: pulumi.Input<string>;
    /** Default 900 s: a first start runs every migration. */
    readonly deadlineSeconds?: number;
    /** Default 2000 ms. */
    readonly intervalMs?: number;
    readonly after?: pulumi.Input<pulumi.Input<string>[]>;
}

/** The runtime's Authentik, once it answers: `url` is what the Authentik resources take. */
export class AuthentikReady extends pulumi.dynamic.Resource {
    declare readonly url: pulumi.Output<string>;

    constructor(name: string, args: AuthentikReadyArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                url: args.url,
                token: pulumi.secret(args.token),
                ...(args.bootstrapPassword !== undefined && { bootstrapPassword: pulumi.secret(args.bootstrapPassword) }),
                deadlineSeconds: args.deadlineSeconds ?? 900,
                intervalMs: args.intervalMs ?? 2000,
                after: args.after ?? [],
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["token", "bootstrapPassword"] }),
            "gatehouse-runtime",
            "AuthentikReady",
        );
    }
}

export { provider as readyProvider };
