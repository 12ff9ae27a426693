/** What an audit yields: one result per checklist item. */
import type { StackConfig } from "../../../infra/config/schema";
import type { ExportedResource } from "../state";

export type Status = "pass" | "fail" | "n/a";

export interface ItemResult {
    readonly id: string;
    readonly item: string;
    readonly mapping: string;
    readonly status: Status;
    /** why: what was found, or the reason it does not apply; never a secret value */
    readonly detail: string;
}

/** A check's verdict, before the item's id and text are added. */
export interface Verdict {
    readonly status: Status;
    readonly detail: string;
}

export const pass = (detail: string): Verdict => ({ status: "pass", detail });
export const fail = (detail: string): Verdict => ({ status: "fail", detail });
export const na = (detail: string): Verdict => ({ status: "n/a", detail });

/** What the checks read: the parsed config, the state with secrets, and where the project is. */
export interface AuditSubject {
    readonly stack: string;
    readonly project: string;
    readonly projectDir: string;
    /** git repository whose history is searched for the stack's secrets (default: the project directory) */
    readonly repoDir: string;
    readonly config: StackConfig;
    /** the state as `pulumi stack export --show-secrets` gives it (for RandomPassword values and their age) */
    readonly resources: readonly (ExportedResource & { readonly created?: string })[];
    /** every secret value of the stack, by a name that may be printed (`oidc-client-secret`, `postgres.adminPassword`) */
    readonly secrets: ReadonlyMap<string, string>;
    /** plain values of the config's secret settings */
    readonly plain: { readonly adminPassword: string; readonly token: string };
    readonly now: Date;
}
