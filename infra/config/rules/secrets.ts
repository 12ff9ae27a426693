/** Secret settings: set with `--secret` at their own path, and long enough for the guides. */
import type { z } from "zod";
import { MIN_SUPPLIED_SECRET_LENGTH, MIN_TEST_USER_PASSWORD_LENGTH, PRODUCTION_LIKE, type Environment } from "../constants";
import { formatPath } from "../format";
import { secretLength } from "../secret-value";
import { isSecretAt, presentSecretSettings } from "../secret-paths";
import { at, listAt, type Issue } from "./read";

/** Each secret setting must have been set with `--secret`, at its own path: the message says exactly how. */
export function secretRules(cfg: unknown, secretPaths: ReadonlySet<string>, refine: z.RefinementCtx): void {
    for (const path of presentSecretSettings(cfg)) {
        if (!isSecretAt(path, secretPaths)) {
            refine.addIssue({ code: "custom", path, message: `must be set as a secret: pulumi config set --secret --path ${formatPath(path)} <value>` });
        }
    }
}

/** Fixed test-user passwords everywhere; in qa and prod every secret the stack supplies (the value is never read here). */
export function secretLengthRules(cfg: unknown, environment: Environment | undefined, issue: Issue): void {
    const short = (path: (string | number)[], min: number, why: string) => {
        const length = secretLength(at(cfg, ...path.map(String)));
        if (length !== undefined && length < min) issue(path, `must be at least ${min} characters${why}`);
    };
    short(["authentik", "testUserPassword"], MIN_TEST_USER_PASSWORD_LENGTH, "");
    listAt(cfg, "authentik", "testUsers").forEach((_, i) => short(["authentik", "testUsers", i, "password"], MIN_TEST_USER_PASSWORD_LENGTH, ""));
    if (environment === undefined || !PRODUCTION_LIKE.includes(environment)) return;
    const why = ` in ${environment} (the guides ask for 32+ random characters)`;
    short(["postgres", "adminPassword"], MIN_SUPPLIED_SECRET_LENGTH, why);
    short(["authentik", "token"], MIN_SUPPLIED_SECRET_LENGTH, why);
}
