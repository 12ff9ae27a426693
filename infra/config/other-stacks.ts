/**
 * The project's other committed stack files, as far as the isolation rule needs them: their environment and the
 * PostgreSQL names they derive. Pure: the files' text comes in, so tests need no files.
 */
import { parse } from "yaml";
import { ENVIRONMENTS, type Environment } from "./constants";
import { postgresNamesOf } from "./rules/isolation";

export interface PostgresNames {
    readonly appDatabase: string;
    readonly authentikDatabase: string;
    readonly ownerRole: string;
    readonly appRole: string;
    readonly authentikRole: string;
}

export interface OtherStackNames {
    /** e.g. `Pulumi.dev.yaml` */
    readonly file: string;
    readonly environment: Environment;
    readonly names: PostgresNames;
}

/** The names a committed stack file `Pulumi.<stack>.yaml` derives, or undefined when it says too little. */
export function otherStackNames(stack: string, text: string, project: string): OtherStackNames | undefined {
    const doc = parse(text) as { config?: Record<string, unknown> } | null;
    const cfg: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(doc?.config ?? {})) if (key.startsWith(`${project}:`)) cfg[key.slice(project.length + 1)] = value;
    const given = typeof cfg.environment === "string" ? cfg.environment : stack;
    if (!(ENVIRONMENTS as readonly string[]).includes(given)) return undefined;
    const environment = given as Environment;
    const names = postgresNamesOf(cfg, environment);
    return names && { file: `Pulumi.${stack}.yaml`, environment, names };
}
