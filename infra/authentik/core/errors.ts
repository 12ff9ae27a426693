import { networkCode } from "./connection";
import { scrub } from "../../secrets/scrub";

/** What a message names: `authentik group "acme-admins"`, and where Authentik is. */
export interface ErrorContext {
    readonly kind: string;
    readonly key: string;
    readonly url: string;
    /** Values to mask wherever they might appear (token, passwords, client secret). */
    readonly secrets: readonly string[];
}

export function subject(ctx: Pick<ErrorContext, "kind" | "key">): string {
    return `authentik ${ctx.kind} "${ctx.key}"`;
}

/**
 * DRF's error body as `field: message` lines: `{"name": ["group with this name already exists."]}` →
 * `name: group with this name already exists`. Nested fields are joined (`redirect_uris[0].url`); field-less
 * messages (`non_field_errors`, `detail`) stand alone.
 */
export function drfMessages(body: unknown, path: string[] = []): string[] {
    const line = (message: string) => `${path.length > 0 ? `${path.join("")}: ` : ""}${message.replace(/\.$/, "")}`;
    if (typeof body === "string") return [line(body)];
    if (typeof body === "number" || typeof body === "boolean") return [line(String(body))];
    if (Array.isArray(body)) {
        return body.flatMap((item, i) => (typeof item === "string" ? [line(item)] : drfMessages(item, [...path, `[${i}]`])));
    }
    if (body === null || typeof body !== "object") return [];
    return Object.entries(body as Record<string, unknown>).flatMap(([key, value]) => {
        if (key === "non_field_errors" || key === "detail") return drfMessages(value, path);
        // authentik's ValidationError carries a machine-readable `code` beside the messages.
        if (key === "code" && typeof value === "string") return [];
        return drfMessages(value, [...path, path.length > 0 ? `.${key}` : key]);
    });
}

async function responseBody(response: Response): Promise<unknown> {
    let text = "";
    try {
        text = await response.text();
    } catch {
        return undefined;
    }
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return text.length > 200 ? `${text.slice(0, 200)}…` : text;
    }
}

/**
 * Turns whatever the client threw into one line that names the object and the field and never carries a secret:
 * - 400: `authentik group "acme-admins": name: group with this name already exists`
 * - 401/403: the token is missing or lacks permission (the token itself is never echoed)
 * - connection refused: `cannot reach Authentik at <url>`
 * - retries exhausted (timeouts, 5xx): what kept failing and how often
 */
export async function describeError(error: unknown, ctx: ErrorContext): Promise<Error> {
    const prefix = subject(ctx);
    const err = error as { name?: unknown; message?: unknown; response?: Response; cause?: unknown };
    let message: string;
    if (err?.name === "ResponseError" && err.response !== undefined) {
        const { status, statusText } = err.response;
        const path = new URL(err.response.url).pathname;
        const details = drfMessages(await responseBody(err.response));
        const detail = details.join("; ");
        if (status === 400) {
            message = `${prefix}: ${detail || `HTTP 400 on ${path}`}`;
        } else if (status === 401 || status === 403) {
            message = `${prefix}: the Authentik API token is missing, invalid or lacks permission (HTTP ${status} on ${path}${detail ? `: ${detail}` : ""})`;
        } else if (status === 404) {
            message = `${prefix}: not found at ${ctx.url} (HTTP 404 on ${path})`;
        } else {
            message = `${prefix}: HTTP ${status}${statusText ? ` ${statusText}` : ""} on ${path}${detail ? `: ${detail}` : ""}`;
        }
    } else if (err?.name === "FetchError") {
        const cause = err.cause as { name?: unknown; message?: unknown } | undefined;
        const code = networkCode(cause);
        if (cause?.name === "RetriesExhausted") {
            message = `${prefix}: Authentik at ${ctx.url} ${String(cause.message)}`;
        } else if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EAI_AGAIN") {
            message = `${prefix}: cannot reach Authentik at ${ctx.url} (${code})`;
        } else {
            message = `${prefix}: request to Authentik at ${ctx.url} failed: ${String(cause?.message ?? err.message)}${code ? ` (${code})` : ""}`;
        }
    } else if (typeof err?.message === "string" && err.message.startsWith("authentik ")) {
        // Already described (an inner call named the object).
        message = err.message;
    } else {
        message = `${prefix}: ${typeof err?.message === "string" ? err.message : String(error)}`;
    }
    return new Error(scrub(message, ctx.secrets));
}

/** The HTTP status of a client error, if it was one. */
export function httpStatus(error: unknown): number | undefined {
    const err = error as { name?: unknown; response?: { status?: unknown } };
    return err?.name === "ResponseError" && typeof err.response?.status === "number" ? err.response.status : undefined;
}

/** The fields a DRF 400 body names, read without consuming the response. */
export async function badRequestFields(error: unknown): Promise<string[]> {
    const err = error as { response?: Response };
    if (httpStatus(error) !== 400 || err.response === undefined) return [];
    const body = await responseBody(err.response.clone());
    return body !== null && typeof body === "object" && !Array.isArray(body) ? Object.keys(body) : [];
}
