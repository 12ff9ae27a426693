/** The checklist items of the five guides Gatehouse is held to (docs/hardening.md), each mapped to exactly one of: */
import type { Environment } from "../../../../infra/config/constants";

export type Mapping =
    /** always true of what Gatehouse makes */
    | "construction"
    /** refused by the config schema before anything is applied */
    | "schema"
    /** checked by `npm run audit` from the stack's config */
    | "audit-config"
    /** checked by `npm run audit -- --live` on the servers */
    | "audit-live"
    | "out-of-scope";

/** What `audit` runs for an audit-config or audit-live item (checks/). */
export type CheckId =
    | "env-file-ignored"
    | "pg-version"
    | "app-role"
    | "cross-database"
    | "test-users-absent"
    | "app-bindings"
    | "provider-grants"
    | "redirect-uris"
    | "signing"
    | "signing-key-unshared"
    | "admin-mfa"
    | "token-privilege"
    | "secret-age"
    | "git-history"
    | "groups-not-superuser";

export interface ChecklistItem {
    /** stable, used by audit output: RF, RA (Rediflow hardening, Authentik setup), SA (Sentinel), SQ (SEQN), AU (Auth) */
    readonly id: string;
    /** the guide's words, shortened */
    readonly item: string;
    readonly mapping: Mapping;
    /** how it holds, what is checked, or why it is out of scope (one line) */
    readonly how: string;
    /** `file › test name` that proves it (none for out-of-scope) */
    readonly test?: string;
    readonly check?: CheckId;
    /** schema items: the setting paths whose errors fail it; the environments its refusal applies in (default all) */
    readonly paths?: readonly string[];
    readonly environments?: readonly Environment[];
}

export const QA_PROD: readonly Environment[] = ["qa", "prod"];

/** Test references, kept in one place so docs and tests agree. */
export const T = {
    hardening: (name: string) => `test/config/hardening.test.ts › ${name}`,
    schema: (name: string) => `test/config/schema.test.ts › ${name}`,
    graph: (name: string) => `test/stacks/graph.test.ts › ${name}`,
    components: (name: string) => `infra/authentik/components.test.ts › ${name}`,
    handoff: (name: string) => `test/e2e/handoff.test.ts › ${name}`,
    postgres: (name: string) => `test/e2e/postgres.test.ts › ${name}`,
    login: (name: string) => `test/e2e/login.test.ts › ${name}`,
    audit: (name: string) => `test/e2e/audit.test.ts › ${name}`,
    auditUnit: (name: string) => `test/scripts/audit.test.ts › ${name}`,
} as const;

/** The two end-to-end audit runs every live item is proven by. */
export const LIVE_TESTS = `${T.audit("a prod stack built through the engine passes every item")}; ${T.audit("an unsafe prod stack, broken through the APIs, fails exactly the broken items")}`;
