/**
 * Rules that cross settings or depend on the environment, run by the schema's superRefine. They run even when other
 * settings are invalid (so one message lists every bad key), which is why they read the config defensively
 * (read.ts). One file per concern; docs/hardening.md maps each to the checklist items it enforces.
 */
import type { z } from "zod";
import type { OtherStackNames } from "../other-stacks";
import { accessRules, noAuthRules, testUserRules } from "./access";
import { adoptRules } from "./adopt";
import { handoffRules, type EnvFileGitStatus } from "./handoff";
import { isolationRules } from "./isolation";
import { grantRules, validityRules } from "./oidc";
import { dockerRules } from "./docker";
import { environmentOf, issuer } from "./read";
import { redirectRules } from "./redirects";
import { secretLengthRules } from "./secrets";
import { postgresTlsRules, transportRules } from "./transport";

export { secretRules } from "./secrets";

/** What the rules need besides the config: facts from the project directory (see project-files.ts). */
export interface RuleFacts {
    readonly otherStacks: readonly OtherStackNames[];
    readonly envFileGit?: EnvFileGitStatus;
}

export function environmentRules(cfg: unknown, facts: RuleFacts, refine: z.RefinementCtx): void {
    const issue = issuer(refine);
    const environment = environmentOf(cfg);
    redirectRules(cfg, issue);
    transportRules(cfg, environment, issue);
    grantRules(cfg, environment, issue);
    accessRules(cfg, environment, issue);
    testUserRules(cfg, environment, issue);
    noAuthRules(cfg, environment, issue);
    postgresTlsRules(cfg, environment, issue);
    dockerRules(cfg, environment, issue);
    validityRules(cfg, environment, issue);
    secretLengthRules(cfg, environment, issue);
    adoptRules(cfg, environment, issue);
    isolationRules(cfg, environment, facts.otherStacks, issue);
    handoffRules(cfg, environment, facts.envFileGit, issue);
}
