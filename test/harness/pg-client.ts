import pg from "pg";
import type { PostgresServer } from "../../testbed/services/postgres";

/** Runs one query as the given user (superuser by default) and closes the connection. */
export async function query<R extends pg.QueryResultRow>(
    server: PostgresServer,
    sql: string,
    params: unknown[] = [],
    as: { user?: string; password?: string; database?: string } = {},
): Promise<R[]> {
    const client = new pg.Client({
        host: server.host,
        port: server.port,
        user: as.user ?? server.user,
        password: as.password ?? server.password,
        database: as.database ?? "postgres",
    });
    await client.connect();
    try {
        return (await client.query<R>(sql, params)).rows;
    } finally {
        await client.end();
    }
}
