/**
 * Drives authentik's flow executor API (`/api/v3/flows/executor/<slug>/?query=…`) as the flow interface does:
 * GET the current challenge, POST the answer, until the flow redirects (`xak-flow-redirect`) or refuses.
 * Answers the stages a password sign-in meets: identification, password, consent.
 */
import type { HeadlessBrowser } from "./browser";

export interface Credentials {
    readonly username: string;
    /** Secret: sent to authentik only, never printed. */
    readonly password: string;
}

export type FlowOutcome = { readonly kind: "redirect"; readonly to: URL } | { readonly kind: "denied"; readonly message: string };

interface Challenge {
    readonly component?: string;
    readonly to?: string;
    readonly token?: string;
    readonly password_fields?: boolean;
    readonly error_message?: string;
    readonly response_errors?: Record<string, { string?: string; code?: string }[]>;
    readonly flow_info?: { readonly title?: string };
}

/** A flow that stops somewhere a headless sign-in cannot go on (MFA, an unknown stage, a refused answer). */
export class FlowError extends Error {}

/** At most this many challenges: a flow that keeps asking is a loop, not a sign-in. */
const MAX_STEPS = 20;

/** Runs the flow behind the interface page `page` (`/if/flow/<slug>/?<query>`) to its end. */
export async function runFlow(browser: HeadlessBrowser, page: URL, credentials: Credentials): Promise<FlowOutcome> {
    const slug = /\/if\/flow\/([^/]+)\/?$/.exec(page.pathname)?.[1];
    if (slug === undefined) throw new FlowError(`not a flow page: ${page.pathname}`);
    const api = new URL(`/api/v3/flows/executor/${slug}/`, page);
    api.searchParams.set("query", page.search.replace(/^\?/, ""));
    let challenge = await call(browser, "GET", api, page);
    for (let step = 0; step < MAX_STEPS; step++) {
        const errors = Object.entries(challenge.response_errors ?? {}).flatMap(([field, list]) => list.map((e) => `${field}: ${e.string ?? e.code ?? "invalid"}`));
        if (errors.length > 0) throw new FlowError(`flow ${slug} refused the answer to ${challenge.component}: ${errors.join("; ")}`);
        switch (challenge.component) {
            case "xak-flow-redirect":
                if (typeof challenge.to !== "string") throw new FlowError(`flow ${slug}: a redirect without a target`);
                return { kind: "redirect", to: new URL(challenge.to, page) };
            case "ak-stage-access-denied":
                return { kind: "denied", message: challenge.error_message ?? "access denied" };
            case "ak-stage-identification":
                challenge = await call(browser, "POST", api, page, {
                    component: challenge.component,
                    uid_field: credentials.username,
                    ...(challenge.password_fields === true && { password: credentials.password }),
                });
                break;
            case "ak-stage-password":
                challenge = await call(browser, "POST", api, page, { component: challenge.component, password: credentials.password });
                break;
            case "ak-stage-consent":
                challenge = await call(browser, "POST", api, page, { component: challenge.component, token: challenge.token });
                break;
            case "ak-stage-authenticator-validate":
                throw new FlowError(`flow ${slug} asks for a second factor; a headless password sign-in cannot give one`);
            default:
                throw new FlowError(`flow ${slug}: stage ${challenge.component ?? "(none)"} is not one a headless sign-in can answer`);
        }
    }
    throw new FlowError(`flow ${slug} did not finish after ${MAX_STEPS} steps`);
}

/** At most this many redirects between one answer and the next challenge. */
const MAX_REDIRECTS = 5;

async function call(browser: HeadlessBrowser, method: "GET" | "POST", api: URL, page: URL, body?: unknown): Promise<Challenge> {
    let response = await browser.json(method, api, page, body);
    // A stage that passes answers with a redirect to the executor: GET it for the next challenge, as fetch() in the
    // flow interface does.
    for (let hop = 0; response.status >= 300 && response.status < 400 && response.location !== undefined; hop++) {
        if (hop >= MAX_REDIRECTS) throw new FlowError(`${method} ${api.pathname}: more than ${MAX_REDIRECTS} redirects`);
        response = await browser.json("GET", response.location, page);
    }
    if (!response.contentType.includes("json")) throw new FlowError(`${method} ${api.pathname}: HTTP ${response.status}, not a challenge`);
    const parsed = JSON.parse(response.text) as Challenge & { detail?: string };
    if (response.status >= 400 && parsed.component === undefined) throw new FlowError(`${method} ${api.pathname}: HTTP ${response.status} ${parsed.detail ?? ""}`.trim());
    return parsed;
}
