import pg from "pg";
import { describe, expect, it } from "vitest";
import { injectedPostgres } from "./injected";

describe("test bed PostgreSQL", () => {
    it("is a real PostgreSQL 18 server reachable over TCP", async () => {
        const server = injectedPostgres();
        const client = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: "postgres" });
        await client.connect();
        const { rows } = await client.query<{ v: string }>("select current_setting('server_version_num') as v");
        await client.end();
        expect(Number(rows[0]?.v)).toBeGreaterThanOrEqual(180000);
    });
});
