/**
 * authentik API emulator, faithful to authentik 2026.8 (issue #3).
 *
 * Start it in-process:
 *   const ak = await startEmulator({ token: "secret" });
 *   // ak.url → http://127.0.0.1:<port>; API under `${ak.url}/api/v3`
 *   ak.log / ak.clearLog() / ak.reset() / await ak.stop()
 */
import type { AddressInfo } from "node:net";
import { EmulatorServer, type LogEntry, type SchemaViolation } from "./server";
import { loadOpenApi } from "./schema/openapi";
import { checkPassword } from "./kinds/users";

export type { LogEntry } from "./server";
export { SchemaViolation } from "./server";
export { defaultSchemaPath, SCHEMA_ENV } from "./schema/openapi";

export interface StartOptions {
    /** API token the emulator accepts as `Authorization: Bearer <token>` */
    readonly token: string;
    /** 0 or omitted: a free port */
    readonly port?: number;
    readonly host?: string;
    /** path to openapi-schema.yml; default: $GATEHOUSE_AUTHENTIK_SCHEMA, else @goauthentik/api's schema.yml */
    readonly schemaPath?: string;
    /**
     * A response that does not match the schema is an emulator bug: it is answered with a
     * 500 and, when strict, also thrown (uncaught) so the test run fails. Default: on under vitest.
     */
    readonly strict?: boolean;
    /** Serve https with this certificate and key (PEM); `url` is then `https://…`. */
    readonly tls?: { readonly cert: string; readonly key: string };
    /**
     * Username of a user (not a superuser, not in `authentik Admins`) the API token belongs to, made at start; default:
     * the token is akadmin's, like the bootstrap token. Permissions are not enforced either way (see README).
     */
    readonly tokenUser?: string;
}

export interface Emulator {
    /** base URL, e.g. http://127.0.0.1:41234 (the API is at `${url}/api/v3`) */
    readonly url: string;
    readonly token: string;
    /** requests served so far (method, path, status, durationMs, operationId); a live copy */
    readonly log: readonly LogEntry[];
    /** schema violations found in emulator responses */
    readonly violations: readonly SchemaViolation[];
    clearLog(): void;
    /** back to a fresh install; also clears the log */
    reset(): void;
    /** whether `password` is the user's password (set through set_password) */
    checkPassword(username: string, password: string): boolean;
    stop(): Promise<void>;
}

export async function startEmulator(options: StartOptions): Promise<Emulator> {
    if (!options.token) throw new Error("startEmulator: a token is required");
    const api = loadOpenApi(options.schemaPath);
    const strict = options.strict ?? Boolean(process.env.VITEST);
    const emulator = new EmulatorServer({ token: options.token, api, strict, ...(options.tls && { tls: options.tls }), ...(options.tokenUser && { tokenUser: options.tokenUser }) });
    const host = options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
        emulator.server.once("error", reject);
        emulator.server.listen(options.port ?? 0, host, () => {
            emulator.server.off("error", reject);
            resolve();
        });
    });
    const address = emulator.server.address() as AddressInfo;
    const url = `${options.tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
    let stopped: Promise<void> | undefined;
    return {
        url,
        token: options.token,
        get log() {
            return emulator.log;
        },
        get violations() {
            return emulator.violations;
        },
        clearLog: () => {
            emulator.log.length = 0;
        },
        reset: () => emulator.reset(),
        checkPassword: (username, password) => {
            for (const user of emulator.db.users.values()) {
                if (user.username === username) return checkPassword(password, user.password);
            }
            return false;
        },
        stop: () => {
            stopped ??= new Promise<void>((resolve, reject) => {
                emulator.server.close((error) => (error ? reject(error) : resolve()));
                emulator.server.closeAllConnections();
            });
            return stopped;
        },
    };
}
