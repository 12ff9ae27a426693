/**
 * Signed file URLs: the HS256 JWT the file backend puts in `?token=` and the web server's
 * storage_token_is_valid that checks it. Key: hex SHA-256 of "{SECRET_KEY}:{usage}".
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Json } from "../../core/fields";

function base64url(data: Buffer | string): string {
    return Buffer.from(data).toString("base64url");
}

/** The per-usage signing key: hex SHA-256 of "{SECRET_KEY}:{usage}". */
function signingKey(secretKey: string, usage: string): string {
    return createHash("sha256").update(`${secretKey}:${usage}`).digest("hex");
}

const HMAC_ALGORITHMS: Record<string, string> = { HS256: "sha256", HS384: "sha384", HS512: "sha512" };

/** A token as PyJWT encodes it (sorted header, compact JSON). */
export function signFileToken(secretKey: string, usage: string, payload: Record<string, Json>): string {
    const head = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const body = base64url(JSON.stringify(payload));
    const signature = createHmac("sha256", signingKey(secretKey, usage)).update(`${head}.${body}`).digest("base64url");
    return `${head}.${body}.${signature}`;
}

/**
 * The web server's storage_token_is_valid: HS256/384/512 with the usage's key, not expired,
 * not before its nbf, and a `path` claim equal to "{usage}/{request path below /files/{usage}/}".
 */
export function fileTokenValid(secretKey: string, usage: string, token: string | null, requestPath: string, now = Date.now()): boolean {
    if (!token) return false;
    const parts = token.split(".");
    if (parts.length !== 3) return false;
    const [head, body, signature] = parts as [string, string, string];
    let header: unknown;
    let claims: unknown;
    try {
        header = JSON.parse(Buffer.from(head, "base64url").toString("utf8"));
        claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
        return false;
    }
    if (typeof header !== "object" || header === null || typeof claims !== "object" || claims === null) return false;
    const hash = HMAC_ALGORITHMS[String((header as { alg?: unknown }).alg)];
    if (!hash) return false;
    const expected = createHmac(hash, signingKey(secretKey, usage)).update(`${head}.${body}`).digest();
    const given = Buffer.from(signature, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    const { exp, nbf, path } = claims as { exp?: unknown; nbf?: unknown; path?: unknown };
    const seconds = Math.floor(now / 1000);
    if (typeof exp === "number" && exp < seconds) return false;
    if (typeof nbf === "number" && nbf > seconds) return false;
    if (typeof path !== "string") return false;
    return path === `${usage}/${requestPath.replace(/^\/+/, "")}`;
}
