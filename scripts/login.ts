import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { expectations, mismatches, type Expectation } from "./lib/login/check";
import { DEFAULT_SCOPE, discover, signIn, type SignInResult, type SignInSettings } from "./lib/login/sign-in";
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

interface StackView {
    readonly settings: SignInSettings;
    readonly testUsers: Readonly<Record<string, readonly string[]>>;
    readonly access: readonly string[] | "everyone";
    /** username → password (secret), generated or fixed in config */
    readonly passwords: ReadonlyMap<string, string>;
}

async function readStack(stack: PulumiStack, scope: string | undefined): Promise<StackView> {
    const outputs = (await stack.outputs(true)) as {
        oidc?: { issuer: string; clientId: string; clientSecret: string; redirectUri?: string };
        testUsers?: Record<string, string[]>;
        access?: string[] | "everyone";
        testUserPasswords?: Record<string, string>;
    };
    const oidc = outputs.oidc;
    if (oidc === undefined) throw new UsageError(`stack ${stack.stack} has no oidc output (run \`pulumi up\` first)`);
    if (oidc.redirectUri === undefined) throw new UsageError(`stack ${stack.stack}'s outputs predate npm run login: run \`pulumi up\` once`);
    const config = JSON.parse((await stack.ok("config", "--json", "--show-secrets")).stdout) as Record<string, { value?: string; objectValue?: unknown }>;
    const entry = config["gatehouse:authentik"];
    const authentik = (entry?.objectValue ?? (entry?.value !== undefined ? JSON.parse(entry.value) : {})) as {
        testUserPassword?: string;
        testUsers?: { username: string; password?: string }[];
    };
    const passwords = new Map<string, string>(Object.entries(outputs.testUserPasswords ?? {}));
    for (const user of authentik.testUsers ?? []) {
        const fixed = user.password ?? authentik.testUserPassword;
        if (fixed !== undefined) passwords.set(user.username, fixed);
    }
    return {
        settings: { issuer: oidc.issuer, clientId: oidc.clientId, clientSecret: oidc.clientSecret, redirectUri: oidc.redirectUri, ...(scope && { scope }) },
        testUsers: outputs.testUsers ?? {},
        access: outputs.access ?? "everyone",
        passwords,
    };
}

async function readPassword(): Promise<string> {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
        rl.close();
        return line;
    }
    throw new UsageError("--password-stdin: stdin was empty");
}

function print(username: string, result: SignInResult): void {
    if (!result.granted) {
        console.log(`${username}: access refused (${result.reason})`);
        return;
    }
    console.log(`${username}: access granted (scope: ${result.scope}; ${result.refreshable ? "refresh token issued" : "no refresh token"})`);
    console.log(`  id_token claims: ${JSON.stringify(result.idToken, null, 2).replace(/\n/g, "\n  ")}`);
    console.log(`  userinfo: ${JSON.stringify(result.userinfo, null, 2).replace(/\n/g, "\n  ")}`);
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
        print(values.user, result);
        return result.granted ? 0 : 1;
    }

    const expected: Expectation[] = expectations(view.testUsers, view.access);
    if (expected.length === 0) throw new UsageError(`stack ${values.stack} seeds no test users`);
    let failed = 0;
    for (const expectation of expected) {
        const password = view.passwords.get(expectation.username);
        if (password === undefined) throw new Error(`no password for test user "${expectation.username}" in stack ${values.stack}`);
        log(`signing in as ${expectation.username}…`);
        const result = await signIn(view.settings, { username: expectation.username, password }, oidc);
        print(expectation.username, result);
        const problems = mismatches(expectation, result);
        for (const problem of problems) console.log(`  MISMATCH ${problem}`);
        if (problems.length > 0) failed++;
    }
    console.log(failed === 0 ? `all ${expected.length} test users match the stack` : `${failed} of ${expected.length} test users do not match the stack`);
    return failed === 0 ? 0 : 1;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (error: unknown) => {
            process.stderr.write(`login: ${error instanceof Error ? error.message : String(error)}\n`);
            if (error instanceof UsageError) process.stderr.write("run `npm run login -- --help` for usage\n");
            process.exit(error instanceof UsageError ? 2 : 1);
        },
    );
}
