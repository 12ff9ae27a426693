/**
 * What the schema's context needs from the project directory: the other committed stack files and git's word on the
 * env file. Impure (files, git); the schema itself stays pure.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { ENVIRONMENTS } from "./constants";
import { otherStackNames, type OtherStackNames } from "./other-stacks";
import type { EnvFileGitStatus } from "./rules/handoff";

/** `Pulumi.<env>.yaml` of every environment, except this stack's own file. */
export function readOtherStacks(projectDir: string, stack: string, project: string): OtherStackNames[] {
    const found: OtherStackNames[] = [];
    for (const env of ENVIRONMENTS) {
        const file = join(projectDir, `Pulumi.${env}.yaml`);
        if (env === stack || !existsSync(file)) continue;
        const names = otherStackNames(env, readFileSync(file, "utf8"), project);
        if (names) found.push(names);
    }
    return found;
}

/**
 * `git check-ignore` of the env file, relative to the project directory. Exit 0: ignored; 1: not ignored; anything
 * else (not a git checkout, git missing, a path outside the work tree): `no-git`, since git cannot commit it there.
 */
export function envFileGitStatus(projectDir: string, envFile: string | undefined): EnvFileGitStatus | undefined {
    if (envFile === undefined) return undefined;
    const path = isAbsolute(envFile) ? envFile : join(projectDir, envFile);
    try {
        execFileSync("git", ["check-ignore", "--quiet", path], { cwd: projectDir, stdio: "ignore" });
        return "ignored";
    } catch (error) {
        return (error as { status?: number }).status === 1 ? "not-ignored" : "no-git";
    }
}
