import { parseArgs } from "node:util";
import { ConfigError } from "../infra/config/parse";
import { runBlueprint } from "./lib/blueprint/command";
import { PROJECT_DIR } from "./lib/pulumi-cli";

const USAGE = `usage: npm run blueprint -- --stack <stack> [--out FILE] [--config-file FILE]

Renders the stack's Authentik objects (groups, scope mappings, OAuth2 provider, application, policy bindings,
brand, test users outside prod) as an authentik blueprint, from the stack's settings alone: no Pulumi backend, no
Authentik and no secret needed. Secrets are !Env references to authentik's worker environment, listed in the
file's header; the YAML never holds a value.

  --stack <stack>       the stack whose Pulumi.<stack>.yaml is read
  --config-file <file>  read the settings from this stack file instead
  --out <file>          write the blueprint here instead of stdout`;

function main(): number {
    const { values } = parseArgs({ options: { stack: { type: "string" }, out: { type: "string" }, "config-file": { type: "string" }, help: { type: "boolean", default: false } } });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (!values.stack) {
        console.error(`blueprint: --stack is required\n${USAGE}`);
        return 2;
    }
    try {
        const { yaml, written } = runBlueprint({ projectDir: PROJECT_DIR, stack: values.stack, configFile: values["config-file"], out: values.out });
        if (written === undefined) process.stdout.write(yaml);
        else console.error(`blueprint: wrote ${written}`);
        return 0;
    } catch (error) {
        console.error(error instanceof ConfigError ? error.message : `blueprint: ${(error as Error).message}`);
        return 1;
    }
}

process.exitCode = main();
