import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { AUTHENTIK_RUNTIME_SECRETS, ROTATABLE_SECRETS, type RotatableSecret } from "../infra/config/constants";
import { PulumiStack } from "./lib/pulumi-cli";
import { changedResources, urnName, type ExportedResource } from "./lib/state";

const USAGE = `usage: npm run rotate -- --stack <stack> <secret>... [--yes] [--config-file <path>]
       npm run rotate -- --stack <stack> --all [--include-authentik] [--yes]

Rotates generated secrets by replacing their RandomPassword: shows the preview, asks (unless --yes), runs
\`pulumi up --replace\`, then lists every resource that changed downstream (role passwords, Authentik's client
secret, the app's .env file, …). Values are never printed.

Secrets: ${ROTATABLE_SECRETS.join(", ")}

${Object.keys(AUTHENTIK_RUNTIME_SECRETS).join(", ")} are read by a running Authentik from its own environment:
--all leaves them out unless --include-authentik is given, and rotating one prints the redeploy it needs.

The same happens through a normal \`pulumi up\` after bumping \`rotation.<secret>\` in Pulumi.<stack>.yaml,
which also records the rotation in the stack file.`;

const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";

/** The RandomPassword resources behind one secret name (test users' key; stacks made before it had one per user). */
export function secretUrns(resources: readonly ExportedResource[], secret: RotatableSecret): string[] {
    return resources
        .filter((r) => r.type === RANDOM_PASSWORD)
        .map((r) => r.urn)
        .filter((urn) => {
            const name = urnName(urn);
            const at = name.indexOf("-secrets-");
            if (at < 0) return false;
            const rest = name.slice(at + "-secrets-".length);
            return rest === secret || (secret === "test-user-passwords" && rest.startsWith(`${secret}-`));
        });
}

export class UsageError extends Error {}

export function selectedSecrets(names: string[], all: boolean, includeAuthentik: boolean): RotatableSecret[] {
    if (all) return ROTATABLE_SECRETS.filter((name) => includeAuthentik || AUTHENTIK_RUNTIME_SECRETS[name] === undefined);
    if (names.length === 0) throw new UsageError("name at least one secret, or --all");
    for (const name of names) {
        if (!(ROTATABLE_SECRETS as readonly string[]).includes(name)) {
            throw new UsageError(`unknown secret "${name}"; valid secrets: ${ROTATABLE_SECRETS.join(", ")}`);
        }
    }
    return names as RotatableSecret[];
}

async function confirm(question: string): Promise<boolean> {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(question);
    rl.close();
    return /^y(es)?$/i.test(answer.trim());
}

async function main(): Promise<number> {
    const { values, positionals } = parseArgs({
        allowPositionals: true,
        options: {
            stack: { type: "string" },
            all: { type: "boolean", default: false },
            "include-authentik": { type: "boolean", default: false },
            yes: { type: "boolean", default: false },
            "config-file": { type: "string" },
            help: { type: "boolean", default: false },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (!values.stack) throw new UsageError("--stack is required");
    if (values["include-authentik"] && !values.all) throw new UsageError("--include-authentik goes with --all; name Authentik's secrets to rotate them alone");
    const secrets = selectedSecrets(positionals, values.all, values["include-authentik"]);
    let streaming = false;
    const stack = PulumiStack.attach(values.stack, {
        configFile: values["config-file"],
        onOutput: (text) => streaming && process.stderr.write(text),
    });

    const before: ExportedResource[] = await stack.resources(true);
    const targets = secrets.flatMap((secret) => secretUrns(before, secret));
    const missing = secrets.filter((secret) => secretUrns(before, secret).length === 0 && secret !== "test-user-passwords");
    if (missing.length > 0) throw new UsageError(`not in stack ${values.stack}'s state: ${missing.join(", ")} (run \`pulumi up\` first)`);
    if (targets.length === 0) throw new UsageError(`nothing to rotate in stack ${values.stack}`);
    const replaceArgs = targets.flatMap((urn) => ["--replace", urn]);

    process.stderr.write(`rotate: previewing replacement of ${targets.map(urnName).join(", ")}\n`);
    streaming = true;
    await stack.ok("preview", "--diff", ...replaceArgs);
    streaming = false;
    if (!values.yes) {
        if (!process.stdin.isTTY) throw new UsageError("not a terminal: pass --yes to rotate without a prompt");
        if (!(await confirm("rotate these secrets now? [y/N] "))) {
            process.stderr.write("rotate: nothing changed\n");
            return 1;
        }
    }
    streaming = true;
    await stack.ok("up", "--yes", "--skip-preview", "--diff", ...replaceArgs);
    streaming = false;

    const changed = changedResources(before, await stack.resources(true));
    const rotated = new Set(targets);
    console.log(`rotated: ${targets.map(urnName).join(", ")}`);
    const downstream = changed.filter((r) => !rotated.has(r.urn) && r.type !== "pulumi:pulumi:Stack");
    console.log(downstream.length === 0 ? "nothing downstream changed" : "changed downstream:");
    for (const r of downstream) console.log(`  ${r.type} ${urnName(r.urn)}`);
    for (const secret of secrets) {
        const step = AUTHENTIK_RUNTIME_SECRETS[secret];
        if (step !== undefined) console.log(`next step for ${secret}: ${step}`);
    }
    return 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (error: unknown) => {
            process.stderr.write(`rotate: ${error instanceof Error ? error.message : String(error)}\n`);
            if (error instanceof UsageError) process.stderr.write("run `npm run rotate -- --help` for usage\n");
            process.exit(error instanceof UsageError ? 2 : 1);
        },
    );
}
