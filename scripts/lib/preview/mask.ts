import { UNKNOWN, type JsonValue } from "./model";

/**
 * What a pull-request comment may show. The engine already prints every Pulumi secret as `[secret]`; this catches what
 * it cannot know is one: values under secret-sounding keys, passwords inside connection strings, and anything that
 * looks like a generated token. Over-masking a fingerprint is cheap, a leaked credential is not.
 */
export const MASK = "[secret]";
export const UNKNOWN_TEXT = "[unknown]";

/** Keys whose values are credentials (`accessTokenValidity` is not: "token" counts only at the end). */
const SECRET_KEY = /password|passwd|passphrase|secret|api[-_]?key|private[-_]?key|credential|bcrypt|token$|^result$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isSecretKey(key: string): boolean {
    return SECRET_KEY.test(key);
}

function charClass(c: string): number {
    if (c >= "a" && c <= "z") return 0;
    if (c >= "A" && c <= "Z") return 1;
    if (c >= "0" && c <= "9") return 2;
    return 3;
}

/**
 * A long random token: no spaces, not a UUID (pks are not secrets), a URN or a URL; and either long hex, or several
 * character classes that change often (`AuthentikOidcApp` changes class 3 times in 16 characters, a random token
 * about every other character).
 */
export function looksLikeSecret(value: string): boolean {
    if (value.length < 16 || value === MASK || /\s/.test(value)) return false;
    if (UUID.test(value) || value.startsWith("urn:") || value.includes("::") || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
    if (value.length >= 32 && /^[0-9a-f]+$/i.test(value) && /[a-f]/i.test(value) && /[0-9]/.test(value)) return true;
    const classes = new Set<number>();
    let changes = 0;
    for (let i = 0; i < value.length; i++) {
        const c = charClass(value[i]!);
        classes.add(c);
        if (i > 0 && c !== charClass(value[i - 1]!)) changes++;
    }
    const rate = changes / (value.length - 1);
    return (classes.size >= 3 && rate >= 0.3) || (classes.size >= 2 && value.length >= 32 && rate >= 0.45);
}

/** Words that may hold a token: runs between spaces, quotes, brackets and `=`. */
const WORD = /[^\s"'`,;()<>[\]{}=]{16,}/g;
const URL = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>]+)/i;
const KEY_VALUE = /\b([\w.-]*(?:password|passwd|passphrase|secret|secret[-_]?key|token|api[-_]?key))(\s*[=:]\s*)(["']?)([^\s"'&,;]+)/gi;

/** A URL with its password, secret-named query values and token-like path segments or values masked. */
function maskUrl(url: string): string {
    const at = url.indexOf("://") + 3;
    const [rest = "", query] = url.slice(at).split(/\?(.*)/s, 2);
    const [authority = "", ...segments] = rest.split("/");
    const path = [authority.replace(/^([^:@]*):(.+)@/, (_m, user: string) => `${user}:${MASK}@`), ...segments.map((segment) => (looksLikeSecret(segment) ? MASK : segment))].join("/");
    const params = query
        ?.split("&")
        .map((pair) => {
            const [key = "", value] = pair.split(/=(.*)/s, 2);
            return value === undefined ? pair : `${key}=${isSecretKey(key) || looksLikeSecret(value) ? MASK : value}`;
        })
        .join("&");
    return `${url.slice(0, at)}${path}${params !== undefined ? `?${params}` : ""}`;
}

/** Free text (an engine error, a value) with passwords in URLs, `password=…` pairs and token-like words masked. */
export function maskText(text: string): string {
    return text
        .split(URL)
        .map((part, i) =>
            i % 2 === 1
                ? maskUrl(part)
                : part
                      .replace(KEY_VALUE, (m, key: string, sep: string, quote: string, value: string) => (value === MASK || value.startsWith("[") ? m : `${key}${sep}${quote}${MASK}`))
                      .replace(WORD, (word) => (looksLikeSecret(word.replace(/[.:]+$/, "")) ? MASK : word)),
        )
        .join("");
}

/** A value as the comment shows it: unknowns as `[unknown]`, secrets and secret-looking strings as `[secret]`. */
export function maskValue(value: JsonValue | undefined, key = ""): JsonValue | undefined {
    if (value === undefined || value === null) return value;
    if (key !== "" && isSecretKey(key) && value !== "" && value !== false) return MASK;
    if (typeof value === "string") {
        if (value === UNKNOWN) return UNKNOWN_TEXT;
        return looksLikeSecret(value) ? MASK : maskText(value);
    }
    if (Array.isArray(value)) return value.map((item) => maskValue(item) ?? null);
    if (typeof value === "object") {
        const result: Record<string, JsonValue> = {};
        for (const [k, v] of Object.entries(value)) result[k] = maskValue(v, k) ?? null;
        return result;
    }
    return value;
}

/** A masked value as one short line of text (JSON for anything but plain strings). */
export function showValue(value: JsonValue | undefined, key = "", max = 200): string {
    const masked = maskValue(value, key);
    const text = masked === undefined ? "(none)" : typeof masked === "string" ? masked : JSON.stringify(masked);
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
