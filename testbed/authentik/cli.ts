/**
 * npm run emulator -- --port 9000 --token <token> [--host 127.0.0.1] [--schema path] [--strict]
 */
import { parseArgs } from "node:util";
import { SCHEMA_ENV, startEmulator } from "./index";

const HELP = `Usage: npm run emulator -- --token <token> [options]

Runs the authentik 2026.8 API emulator (API under <url>/api/v3).

Options:
  --token <token>    API token accepted as "Authorization: Bearer <token>" (or $AUTHENTIK_TOKEN)
  --port <port>      port to listen on (default: a free port)
  --host <host>      address to bind (default: 127.0.0.1)
  --schema <path>    authentik openapi-schema.yml (default: $${SCHEMA_ENV}, else the one in @goauthentik/api)
  --strict           exit when a response does not match the schema
  -h, --help         show this help

Control endpoints (same token): GET/DELETE /_emulator/log, POST /_emulator/reset
`;

async function main(): Promise<number> {
    let values;
    try {
        ({ values } = parseArgs({
            options: {
                token: { type: "string" },
                port: { type: "string" },
                host: { type: "string" },
                schema: { type: "string" },
                strict: { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
        }));
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
        return 2;
    }
    if (values.help) {
        process.stdout.write(HELP);
        return 0;
    }
    const token = values.token ?? process.env.AUTHENTIK_TOKEN;
    if (!token) {
        process.stderr.write(`error: --token is required\n\n${HELP}`);
        return 2;
    }
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`error: --port must be a port number, got "${values.port}"\n`);
        return 2;
    }
    const emulator = await startEmulator({
        token,
        port,
        host: values.host,
        schemaPath: values.schema,
        strict: values.strict ?? false,
    });
    process.stdout.write(`authentik emulator listening on ${emulator.url} (API: ${emulator.url}/api/v3)\n`);
    await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
            process.stdout.write(`received ${signal}, stopping\n`);
            resolve();
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
    });
    await emulator.stop();
    return 0;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
    },
);
