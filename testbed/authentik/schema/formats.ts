/** JSON value helpers and the string formats authentik's schema uses (uuid, date-time, email, uri). */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 3339 date-time, as DRF/orjson render it (microseconds optional, Z or offset).
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;
// Django's EmailValidator, simplified: user part, @, a dotted domain or localhost.
const EMAIL_RE = /^[^\s@"]+@([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9a-fA-F:.]+\])$/;
const URI_RE = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

export function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function jsonType(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}

export function formatOk(format: string, value: string): boolean {
    switch (format) {
        case "uuid":
            return UUID_RE.test(value);
        case "date-time":
            return DATE_TIME_RE.test(value) && !Number.isNaN(Date.parse(value));
        case "email":
            // Model fields are blank=True: "" is stored and returned by the real server.
            return value === "" || EMAIL_RE.test(value);
        case "uri":
            // Same for URL fields (meta_launch_url, logout_uri default to "").
            return value === "" || URI_RE.test(value);
        default:
            return true; // int64, double, binary: no string constraint in JSON
    }
}

