import type { TestProject } from "vitest/node";
import { startPostgres, type PostgresServer } from "../../testbed/services/postgres";
import { POSTGRES_KEY } from "./keys";


/** One throwaway PostgreSQL cluster for the whole run, removed afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
    const server = await startPostgres();
    console.log(`[harness] PostgreSQL ${server.version} on ${server.host}:${server.port} (throwaway cluster)`);
    project.provide(POSTGRES_KEY as never, {
        host: server.host,
        port: server.port,
        user: server.user,
        password: server.password,
        version: server.version,
    } satisfies PostgresServer as never);
    return async () => {
        await server.stop();
    };
}
