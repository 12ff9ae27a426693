/**
 * What a seeded user's sign-in must show, from the stack's own outputs: access granted exactly when the user is in
 * a group the application admits (or the stack admits everyone), and a `groups` claim naming each of the user's
 * groups once, in id_token and userinfo alike.
 */
import type { Claims, SignInResult } from "./sign-in";

export interface Expectation {
    readonly username: string;
    /** Group names the user is in (directly; Gatehouse's groups have no parents). */
    readonly groups: readonly string[];
    readonly granted: boolean;
}

/** Expectations for every test user the stack seeds. */
export function expectations(testUsers: Readonly<Record<string, readonly string[]>>, access: readonly string[] | "everyone"): Expectation[] {
    return Object.entries(testUsers).map(([username, groups]) => ({
        username,
        groups,
        granted: access === "everyone" || groups.some((group) => access.includes(group)),
    }));
}

/** Every way the sign-in differs from the expectation, one line each; empty when it matches. */
export function mismatches(expected: Expectation, result: SignInResult): string[] {
    if (result.granted !== expected.granted) {
        return [expected.granted ? `expected access, was refused (${result.granted ? "" : result.reason})` : "expected to be refused, was let in"];
    }
    if (!result.granted) return [];
    const problems: string[] = [];
    for (const [where, claims] of [["id_token", result.idToken], ["userinfo", result.userinfo]] as const) {
        problems.push(...groupProblems(where, claims, expected.groups));
    }
    if (result.idToken.sub !== result.userinfo.sub) problems.push(`sub differs: id_token ${String(result.idToken.sub)}, userinfo ${String(result.userinfo.sub)}`);
    return problems;
}

function groupProblems(where: string, claims: Claims, expected: readonly string[]): string[] {
    const groups = claims.groups;
    if (!Array.isArray(groups)) return [`${where}: no groups claim`];
    const names = groups.map((g) => (typeof g === "object" && g !== null && "name" in g ? String((g as { name: unknown }).name) : String(g)));
    const problems: string[] = [];
    const twice = names.filter((name, i) => names.indexOf(name) !== i);
    if (twice.length > 0) problems.push(`${where}: groups listed more than once: ${[...new Set(twice)].join(", ")}`);
    const missing = expected.filter((name) => !names.includes(name));
    const extra = names.filter((name) => !expected.includes(name));
    if (missing.length > 0) problems.push(`${where}: groups missing: ${missing.join(", ")}`);
    if (extra.length > 0) problems.push(`${where}: unexpected groups: ${[...new Set(extra)].join(", ")}`);
    return problems;
}
