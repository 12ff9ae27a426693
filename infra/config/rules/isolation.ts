/**
 * No database or role of a qa or prod stack is also another environment's: the project's other committed stack files
 * (read by load.ts, passed in the context) are compared name by name.
 */
import { PRODUCTION_LIKE, type Environment } from "../constants";
import type { OtherStackNames, PostgresNames } from "../other-stacks";
import { stringAt, type Issue } from "./read";

const SETTINGS: Readonly<Record<keyof PostgresNames, { path: string[]; what: string }>> = {
    appDatabase: { path: ["postgres", "databases", "app"], what: "database" },
    authentikDatabase: { path: ["postgres", "databases", "authentik"], what: "database" },
    ownerRole: { path: ["postgres", "roles", "owner"], what: "role" },
    appRole: { path: ["postgres", "roles", "app"], what: "role" },
    authentikRole: { path: ["postgres", "roles", "authentik"], what: "role" },
};

/** The PostgreSQL names deriveNames makes, from a config that may be only partly valid. */
export function postgresNamesOf(cfg: unknown, environment: Environment): PostgresNames | undefined {
    const app = stringAt(cfg, "app", "name");
    if (app === undefined) return undefined;
    const pg = (...parts: string[]) => parts.join("_").replace(/-/g, "_");
    return {
        appDatabase: stringAt(cfg, "postgres", "databases", "app") ?? pg(app, environment),
        authentikDatabase: stringAt(cfg, "postgres", "databases", "authentik") ?? pg("authentik", environment),
        ownerRole: stringAt(cfg, "postgres", "roles", "owner") ?? pg(app, environment, "owner"),
        appRole: stringAt(cfg, "postgres", "roles", "app") ?? pg(app, environment, "app"),
        authentikRole: stringAt(cfg, "postgres", "roles", "authentik") ?? pg("authentik", environment),
    };
}

export function isolationRules(cfg: unknown, environment: Environment | undefined, others: readonly OtherStackNames[], issue: Issue): void {
    if (environment === undefined || !PRODUCTION_LIKE.includes(environment)) return;
    const mine = postgresNamesOf(cfg, environment);
    if (mine === undefined) return;
    for (const [key, { path, what }] of Object.entries(SETTINGS) as [keyof PostgresNames, (typeof SETTINGS)[keyof PostgresNames]][]) {
        const clash = others.find((other) => other.environment !== environment && Object.entries(other.names).some(([k, name]) => SETTINGS[k as keyof PostgresNames].what === what && name === mine[key]));
        if (clash) issue(path, `this ${what} name is also ${clash.file}'s (${clash.environment}); give each environment its own`);
    }
}
