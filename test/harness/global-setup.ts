import type { TestProject } from "vitest/node";
import { rm } from "node:fs/promises";
import { startPostgres, type PostgresServer } from "../../testbed/services/postgres";
import { makeTestCertificates } from "../../testbed/services/tls";
import { POSTGRES_KEY, TLS_KEY } from "./keys";


/**
 * One throwaway PostgreSQL cluster for the whole run, removed afterwards. It also speaks TLS with a certificate of a
 * throwaway CA (`caFile`), so qa and prod stacks connect verify-full as the schema requires there.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
    const tls = makeTestCertificates();
    // Forked test workers and every process they start (the engine, its providers, node scripts) trust the test
    // bed's CA, so https emulators and verify-full PostgreSQL connections check the certificate as in production.
    process.env.NODE_EXTRA_CA_CERTS = tls.caFile;
    process.env.PGSSLROOTCERT = tls.caFile;
    const server = await startPostgres({ tls });
    console.log(`[harness] PostgreSQL ${server.version} on ${server.host}:${server.port} (throwaway cluster)`);
    project.provide(POSTGRES_KEY as never, {
        host: server.host,
        port: server.port,
        user: server.user,
        password: server.password,
        version: server.version,
        caFile: tls.caFile,
    } satisfies PostgresServer as never);
    project.provide(TLS_KEY as never, { caFile: tls.caFile, cert: tls.cert, key: tls.key } as never);
    return async () => {
        await server.stop();
        await rm(tls.dir, { recursive: true, force: true });
    };
}
