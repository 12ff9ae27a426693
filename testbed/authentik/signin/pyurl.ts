/**
 * Python's URL quoting (urllib.parse.quote / quote_plus / urlencode) and Django's QueryDict, which authentik's
 * redirects are built with. They differ from encodeURIComponent and URLSearchParams in which characters stay
 * unescaped (Python keeps `~`, escapes `!*'()`), and the flow executor compares URLs byte for byte
 * (flows/views/executor.py to_stage_response), so the emulator must build them the same way.
 */

const ALWAYS_SAFE = /[A-Za-z0-9_.\-~]/;

/** urllib.parse.quote(value, safe): UTF-8, upper-case hex, `_.-~` and alphanumerics never escaped. */
export function quote(value: string, safe = "/"): string {
    let out = "";
    for (const char of value) {
        if (ALWAYS_SAFE.test(char) || safe.includes(char)) {
            out += char;
            continue;
        }
        for (const byte of Buffer.from(char, "utf8")) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
    return out;
}

/** urllib.parse.quote_plus(value, safe=""): as quote, with spaces as "+". */
export function quotePlus(value: string, safe = ""): string {
    return quote(value, `${safe} `).replace(/ /g, "+");
}

export type QueryPairs = ReadonlyArray<readonly [string, string]>;

/** urllib.parse.urlencode(pairs) (quote_via=quote_plus), and so QueryDict.urlencode() without `safe`. */
export function urlencode(pairs: QueryPairs): string {
    return pairs.map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join("&");
}

/** QueryDict.urlencode(safe=...): quote() instead of quote_plus (django/http/request.py). */
export function urlencodeSafe(pairs: QueryPairs, safe: string): string {
    return pairs.map(([k, v]) => `${quote(k, safe)}=${quote(v, safe)}`).join("&");
}

/** QueryDict(query_string): keep_blank_values, "+" is a space, percent-decoded as UTF-8. */
export function parseQuery(query: string): Array<[string, string]> {
    return [...new URLSearchParams(query)];
}

/** QueryDict.get(key): the last value of the key. */
export function lastValue(pairs: QueryPairs, key: string): string | undefined {
    let found: string | undefined;
    for (const [k, v] of pairs) if (k === key) found = v;
    return found;
}

/** authentik/lib/utils/urls.py is_url_absolute: has a network location. */
export function isUrlAbsolute(url: string): boolean {
    // urlparse: "//host/..." and "scheme://host/..." carry a netloc
    return /^([A-Za-z][A-Za-z0-9+.-]*:)?\/\/[^/?#]/.test(url);
}

/** urlparse(url).scheme (lower-cased, "" when absent). */
export function urlScheme(url: string): string {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
    return m ? (m[1] as string).toLowerCase() : "";
}

/**
 * urlsplit / urlunsplit for the parts authentik touches (query and fragment of a redirect URI): the URI is kept
 * as given and only its query or fragment is replaced.
 */
export function splitUri(uri: string): { base: string; query: string; fragment: string } {
    const hash = uri.indexOf("#");
    const fragment = hash >= 0 ? uri.slice(hash + 1) : "";
    const beforeHash = hash >= 0 ? uri.slice(0, hash) : uri;
    const q = beforeHash.indexOf("?");
    return {
        base: q >= 0 ? beforeHash.slice(0, q) : beforeHash,
        query: q >= 0 ? beforeHash.slice(q + 1) : "",
        fragment,
    };
}

export function unsplitUri(parts: { base: string; query: string; fragment: string }): string {
    return `${parts.base}${parts.query ? `?${parts.query}` : ""}${parts.fragment ? `#${parts.fragment}` : ""}`;
}

/**
 * re.fullmatch(pattern, value) with JavaScript's RegExp: the whole string must match. A pattern JavaScript cannot
 * compile counts as no match (Python raises RegexError, which authentik logs and treats as no match).
 */
export function fullMatch(pattern: string, value: string): boolean {
    try {
        return new RegExp(`^(?:${pattern})$`, "u").test(value);
    } catch {
        try {
            return new RegExp(`^(?:${pattern})$`).test(value);
        } catch {
            return false;
        }
    }
}
