import pg from "pg";
import { scrub } from "../secrets/scrub";

export interface PreflightTarget {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    /** Secret: used for the connection only, never in a message. */
    readonly password: string;
    readonly database: string;
    readonly sslMode: "disable" | "require" | "verify-ca" | "verify-full";
}

/** A connection the admin settings cannot make; the message names host, port and user, never the password. */
export class PreflightError extends Error {}

/** What the provider's own sslmode means for node-postgres. */
function tls(sslMode: PreflightTarget["sslMode"]): pg.ClientConfig["ssl"] {
    if (sslMode === "disable") return false;
    if (sslMode === "require") return { rejectUnauthorized: false };
    return { rejectUnauthorized: true };
}

/**
 * Connects once as the admin before anything is declared, so that a wrong host, port or password stops `preview`
 * and `up` with Gatehouse's own message, whatever the provider plugin would have said.
 */
export async function checkPostgres(target: PreflightTarget, timeoutMs = 15_000): Promise<void> {
    const where = `PostgreSQL at ${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`;
    const client = new pg.Client({
        host: target.host,
        port: target.port,
        user: target.user,
        password: target.password,
        database: target.database,
        ssl: tls(target.sslMode),
        connectionTimeoutMillis: timeoutMs,
    });
    client.on("error", () => undefined);
    try {
        await client.connect();
        await client.query("select 1");
    } catch (error) {
        const e = error as { code?: string; message?: string };
        const reason = e.code === "ECONNREFUSED" ? "connection refused" : e.code === "ENOTFOUND" ? "no such host" : (e.message ?? String(error));
        const hint = e.code === "28P01" || e.code === "28000" ? "check postgres.adminUser and postgres.adminPassword" : "check postgres.host, postgres.port and postgres.sslMode";
        throw new PreflightError(`cannot connect to ${where} as ${target.user}: ${scrub(reason, [target.password])}${e.code ? ` (${e.code})` : ""}; ${hint}. Nothing was applied.`);
    } finally {
        await client.end().catch(() => undefined);
    }
}
