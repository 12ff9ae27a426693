import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { describeResult } from "./lib/login/report";
import { DEFAULT_SCOPE, discover, signIn } from "./lib/login/sign-in";
import { checkTestUsers, readStack, StackError } from "./lib/login/stack";
import { PulumiStack } from "./lib/pulumi-cli";

const USAGE = `usage: npm run login -- --stack <stack> --user <username> [--password-stdin] [--scope "<scopes>"]
       npm run login -- --stack <stack> --all-test-users

Signs in to the stack's application as a browser would, headless: authorization code with PKCE through
Authentik's authorize endpoint and flow executor (identification, password, consent), then the code exchange,
the id_token verified against the JWKS, and userinfo. Prints the claims the app receives and whether access was
granted. Tokens and passwords are never printed.

  --user <name>       sign in as this user; a seeded test user's password comes from the stack (outputs or
                      config), anyone else's from --password-stdin
  --password-stdin    read the password from the first line of stdin
  --all-test-users    sign in as every seeded test user and check each against the stack: access granted exactly
                      for members of the groups \`authentik.access\` admits, and \`groups\` listing exactly the
                      user's groups, once each; exits 1 on any mismatch
  --scope <scopes>    default "${DEFAULT_SCOPE}"
  --config-file <f>   passed to pulumi (as for npm run rotate)

Works against a real Authentik as against the test bed's emulator.`;

class UsageError extends Error {}

const log = (line: string) => process.stderr.write(`login: ${line}\n`);

async function readPassword(): Promise<string> {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
        rl.close();
        return line;
    }
    throw new UsageError("--password-stdin: stdin was empty");
}

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            user: { type: "string" },
            "password-stdin": { type: "boolean", default: false },
            "all-test-users": { type: "boolean", default: false },
            scope: { type: "string" },
            "config-file": { type: "string" },
            help: { type: "boolean", default: false },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (!values.stack) throw new UsageError("--stack is required");
    if (!values.user === !values["all-test-users"]) throw new UsageError("give --user <username> or --all-test-users");
    const stack = PulumiStack.attach(values.stack, { configFile: values["config-file"] });
    const view = await readStack(stack, values.scope);
    const oidc = await discover(view.settings);

    if (values.user) {
        const password = values["password-stdin"] ? await readPassword() : view.passwords.get(values.user);
        if (password === undefined) throw new UsageError(`"${values.user}" is not a seeded test user of stack ${values.stack}: pass --password-stdin`);
        log(`signing in as ${values.user} at ${view.settings.issuer}…`);
        const result = await signIn(view.settings, { username: values.user, password }, oidc);
        console.log(describeResult(values.user, result));
        return result.granted ? 0 : 1;
    }

    if (Object.keys(view.testUsers).length === 0) throw new UsageError(`stack ${values.stack} seeds no test users`);
    const failed = await checkTestUsers(view, oidc, (line) => console.log(line), log);
    return failed === 0 ? 0 : 1;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (error: unknown) => {
            process.stderr.write(`login: ${error instanceof Error ? error.message : String(error)}\n`);
            if (error instanceof UsageError || error instanceof StackError) process.stderr.write("run `npm run login -- --help` for usage\n");
            process.exit(error instanceof UsageError || error instanceof StackError ? 2 : 1);
        },
    );
}
