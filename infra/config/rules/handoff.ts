/** The .env file holds every secret of the app: in qa and prod git must ignore it (never committed). */
import { PRODUCTION_LIKE, type Environment } from "../constants";
import { stringAt, type Issue } from "./read";

/** What `git check-ignore` says of `handoff.envFile`; `no-git`: the project is not a git checkout (nothing to commit it to). */
export type EnvFileGitStatus = "ignored" | "not-ignored" | "no-git";

export function handoffRules(cfg: unknown, environment: Environment | undefined, status: EnvFileGitStatus | undefined, issue: Issue): void {
    if (environment === undefined || !PRODUCTION_LIKE.includes(environment) || stringAt(cfg, "handoff", "envFile") === undefined) return;
    if (status === "not-ignored") issue(["handoff", "envFile"], "git would not ignore this file, and it holds the app's secrets: add it to .gitignore");
}
