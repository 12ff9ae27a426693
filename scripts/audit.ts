import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ENVIRONMENTS } from "../infra/config/constants";
import { parseInProject } from "../infra/config/in-project";
import { ConfigError } from "../infra/config/parse";
import { report, scrubReport, textLines } from "./lib/audit/report";
import { runAudit, type ConfigOutcome } from "./lib/audit/run";
import { readRawConfig, readResources, secretValues, stackFileOf } from "./lib/audit/stack-view";
import { PROJECT_DIR, PulumiStack } from "./lib/pulumi-cli";

const USAGE = `usage: npm run audit -- --stack <stack> [--live] [--json] [--config-file <path>] [--repo <dir>]

Checks a stack against every item of the hardening checklists (docs/hardening.md): one line per item, pass, fail or
n/a with the reason. Items Gatehouse meets by construction pass; items the config schema refuses are judged from
the stack's config (\`pulumi config --show-secrets\`, parsed as \`pulumi up\` parses it); config checks run always.

  --live              also check the servers: the app role and RLS on PostgreSQL, which databases each role
                      reaches, the provider, application bindings, MFA in the authentication flow and the API
                      token's user on Authentik, the age of generated secrets, and the git history for secrets
  --json              print {stack, environment, live, summary, items: [{id, item, mapping, status, detail}]}
  --config-file <f>   passed to pulumi (as for npm run rotate)
  --repo <dir>        git repository whose history is searched (default: the project)

Exits 1 when any item fails, 2 on a usage error. Secret values are never printed.`;

class UsageError extends Error {}

const log = (line: string) => process.stderr.write(`audit: ${line}\n`);

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            live: { type: "boolean", default: false },
            json: { type: "boolean", default: false },
            "config-file": { type: "string" },
            repo: { type: "string" },
            help: { type: "boolean", default: false },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (!values.stack) throw new UsageError("--stack is required");
    const project = "gatehouse";
    const stack = PulumiStack.attach(values.stack, { configFile: values["config-file"] });
    log(`reading stack ${values.stack}…`);
    const { raw, secretKeys } = await readRawConfig(stack, project);
    const resources = await readResources(stack);
    const secrets = secretValues(resources, raw);
    let outcome: ConfigOutcome;
    try {
        const config = parseInProject(raw, { stack: values.stack, project, projectDir: PROJECT_DIR, configFile: stackFileOf(PROJECT_DIR, values.stack, values["config-file"]), secretKeys });
        const plain = { adminPassword: secrets.get("postgres.adminPassword") ?? "", token: secrets.get("authentik.token") ?? "" };
        const repoDir = values.repo ? resolve(values.repo) : PROJECT_DIR;
        outcome = { ok: true, subject: { stack: values.stack, project, projectDir: PROJECT_DIR, repoDir, config, resources, secrets, plain, now: new Date() } };
    } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        const given = typeof raw.environment === "string" ? raw.environment : (ENVIRONMENTS as readonly string[]).includes(values.stack) ? values.stack : undefined;
        outcome = { ok: false, error, ...(given !== undefined && { environment: given }) };
        log("the stack's config is invalid: the schema's items say where");
    }
    const items = await runAudit(outcome, values.live, log);
    const result = report(values.stack, outcome.ok ? outcome.subject.config.environment : outcome.environment, values.live, items);
    const text = values.json ? JSON.stringify(result, null, 2) : textLines(result).join("\n");
    console.log(scrubReport(text, secrets.values()));
    return result.summary.fail === 0 ? 0 : 1;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (error: unknown) => {
            process.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
            if (error instanceof UsageError) process.stderr.write("run `npm run audit -- --help` for usage\n");
            process.exit(error instanceof UsageError ? 2 : 1);
        },
    );
}
