import { createHmac } from "node:crypto";
import { SECRET_POLICIES, type SecretPolicy } from "./policy";

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";

/**
 * A password of `policy`'s shape derived from `key` for `label` (HMAC-SHA256 in counter mode): the same key and
 * label give the same password on every run, different labels unrelated ones, and without the key none can be
 * told from another. Seeded test users take theirs this way from one generated key (GatehouseSecrets), so a stack
 * holds one RandomPassword for all of them instead of one resource, one engine step and one checkpoint each.
 *
 * Characters are drawn by rejection sampling (uniform over the alphabet); a candidate without a lower-case letter,
 * an upper-case letter and a digit (as RandomPassword's minLower/minUpper/minNumeric demand) is drawn again.
 */
export function derivePassword(key: string, label: string, policy: SecretPolicy): string {
    if (key.length === 0) throw new Error("derivePassword: empty key");
    const alphabet = LOWER + UPPER + DIGITS + policy.special;
    const limit = 256 - (256 % alphabet.length);
    for (let attempt = 0; ; attempt++) {
        let password = "";
        for (let block = 0; password.length < policy.length; block++) {
            const bytes = createHmac("sha256", key).update(`${label}\0${attempt}\0${block}`).digest();
            for (const byte of bytes) {
                if (byte < limit && password.length < policy.length) password += alphabet[byte % alphabet.length];
            }
        }
        if ([LOWER, UPPER, DIGITS].every((set) => [...password].some((c) => set.includes(c)))) return password;
    }
}

/** The label a seeded test user's password is derived for: the username, in a namespace of its own. */
export function testUserPasswordLabel(username: string): string {
    return `gatehouse/test-user-password/${username}`;
}

/** A seeded test user's generated password, from the `test-user-passwords` key (the program's and the audit's). */
export function testUserPassword(key: string, username: string): string {
    return derivePassword(key, testUserPasswordLabel(username), SECRET_POLICIES["test-user-passwords"]);
}

/** What `usersWithGeneratedPasswords` reads: parsed settings, or raw ones (the audit reads a config that may not parse). */
export interface TestUserPasswordSettings {
    readonly testUserPassword?: unknown;
    readonly testUsers?: readonly { readonly username?: unknown; readonly password?: unknown }[];
}

/** Test users whose password is generated: those without one of their own, unless the stack fixes one for all. */
export function usersWithGeneratedPasswords(authentik: TestUserPasswordSettings): string[] {
    if (authentik.testUserPassword !== undefined) return [];
    return (authentik.testUsers ?? []).flatMap((u) => (u.password === undefined && typeof u.username === "string" ? [u.username] : []));
}
