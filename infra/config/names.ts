import type { Environment } from "./constants";

/** The settings names are derived from; a structural subset of the parsed config. */
export interface NameSources {
    readonly environment: Environment;
    readonly app: { readonly name: string };
    readonly postgres: {
        readonly databases: { readonly app?: string; readonly authentik?: string };
        readonly roles: { readonly owner?: string; readonly app?: string; readonly authentik?: string };
    };
    readonly authentik: {
        readonly oidc: { readonly slug?: string; readonly clientId?: string };
        readonly groups: { readonly prefix?: string };
    };
}

/** Names every component uses, derived once so that no two environments share a database, role or client. */
export interface DerivedNames {
    readonly appDatabase: string;
    readonly authentikDatabase: string;
    readonly ownerRole: string;
    readonly appRole: string;
    readonly authentikRole: string;
    readonly applicationSlug: string;
    readonly clientId: string;
    readonly groupPrefix: string;
}

/** PostgreSQL identifiers cannot hold '-': app slugs map to snake case. */
function pgName(...parts: string[]): string {
    return parts.join("_").replace(/-/g, "_");
}

/**
 * Authentik names carry the environment (`acme-dev`) except in prod (`acme`), so stacks that share one Authentik —
 * dev and test often do — never meet on a slug, client id or group name; PostgreSQL names always carry it.
 */
export function deriveNames(cfg: NameSources): DerivedNames {
    const env = cfg.environment;
    const app = cfg.app.name;
    const authentikName = env === "prod" ? app : `${app}-${env}`;
    return {
        appDatabase: cfg.postgres.databases.app ?? pgName(app, env),
        authentikDatabase: cfg.postgres.databases.authentik ?? pgName("authentik", env),
        ownerRole: cfg.postgres.roles.owner ?? pgName(app, env, "owner"),
        appRole: cfg.postgres.roles.app ?? pgName(app, env, "app"),
        authentikRole: cfg.postgres.roles.authentik ?? pgName("authentik", env),
        applicationSlug: cfg.authentik.oidc.slug ?? authentikName,
        clientId: cfg.authentik.oidc.clientId ?? authentikName,
        groupPrefix: cfg.authentik.groups.prefix ?? authentikName,
    };
}
