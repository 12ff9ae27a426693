/** What a sign-in needs from a Gatehouse stack, read from its outputs and config; and the check of its test users. */
import type { Configuration } from "openid-client";
import type { PulumiStack } from "../pulumi-cli";
import { expectations, mismatches } from "./check";
import { describeResult } from "./report";
import { signIn, type SignInSettings } from "./sign-in";

/** The stack cannot be signed in to as it is (not deployed, or deployed by an older Gatehouse). */
export class StackError extends Error {}

export interface StackView {
    readonly settings: SignInSettings;
    readonly testUsers: Readonly<Record<string, readonly string[]>>;
    readonly access: readonly string[] | "everyone";
    /** username → password (secret), generated or fixed in config */
    readonly passwords: ReadonlyMap<string, string>;
}

/** The issuer, client and test users from the stack's outputs (secrets shown), fixed passwords from its config. */
export async function readStack(stack: PulumiStack, scope?: string): Promise<StackView> {
    const outputs = (await stack.outputs(true)) as {
        oidc?: { issuer: string; clientId: string; clientSecret: string; redirectUri?: string };
        testUsers?: Record<string, string[]>;
        access?: string[] | "everyone";
        testUserPasswords?: Record<string, string>;
    };
    const oidc = outputs.oidc;
    if (oidc === undefined) throw new StackError(`stack ${stack.stack} has no oidc output (run \`pulumi up\` first)`);
    if (oidc.redirectUri === undefined) throw new StackError(`stack ${stack.stack}'s outputs predate npm run login: run \`pulumi up\` once`);
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

/**
 * Signs every seeded test user in and compares what the app receives with what the stack declares; prints each
 * result through `print`. Returns how many users did not match.
 */
export async function checkTestUsers(view: StackView, oidc: Configuration, print: (line: string) => void, progress: (line: string) => void): Promise<number> {
    const expected = expectations(view.testUsers, view.access);
    let failed = 0;
    for (const expectation of expected) {
        const password = view.passwords.get(expectation.username);
        if (password === undefined) throw new StackError(`no password for test user "${expectation.username}" in the stack's outputs or config`);
        progress(`signing in as ${expectation.username}…`);
        const result = await signIn(view.settings, { username: expectation.username, password }, oidc);
        print(describeResult(expectation.username, result));
        const problems = mismatches(expectation, result);
        for (const problem of problems) print(`  MISMATCH ${problem}`);
        if (problems.length > 0) failed++;
    }
    print(failed === 0 ? `all ${expected.length} test users match the stack` : `${failed} of ${expected.length} test users do not match the stack`);
    return failed;
}
