import * as pulumi from "@pulumi/pulumi";
import * as postgresql from "@pulumi/postgresql";

export interface AppRoleGrantsArgs {
    readonly database: pulumi.Input<string>;
    readonly schema: string;
    /** Role that runs migrations and owns every table; default privileges are declared for the objects it creates. */
    readonly owner: pulumi.Input<string>;
    /** Runtime role that gets data access and nothing else. */
    readonly app: pulumi.Input<string>;
}

/** What the runtime role may do with rows: read and write data, never change structure. */
export const APP_TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE"] as const;
export const APP_SEQUENCE_PRIVILEGES = ["USAGE", "SELECT"] as const;

/**
 * Grants for the app role: CONNECT, USAGE on the schema, DML on existing tables and sequences, and default
 * privileges so that tables and sequences the owner creates later (migrations) get the same grants.
 */
export function grantAppRole(name: string, args: AppRoleGrantsArgs, opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
    const { database, schema, owner, app } = args;
    return [
        new postgresql.Grant(`${name}-connect`, { database, role: app, objectType: "database", privileges: ["CONNECT"] }, opts),
        new postgresql.Grant(`${name}-schema-usage`, { database, schema, role: app, objectType: "schema", privileges: ["USAGE"] }, opts),
        new postgresql.Grant(`${name}-tables`, { database, schema, role: app, objectType: "table", privileges: [...APP_TABLE_PRIVILEGES] }, opts),
        new postgresql.Grant(`${name}-sequences`, { database, schema, role: app, objectType: "sequence", privileges: [...APP_SEQUENCE_PRIVILEGES] }, opts),
        new postgresql.DefaultPrivileges(
            `${name}-default-tables`,
            { database, schema, owner, role: app, objectType: "table", privileges: [...APP_TABLE_PRIVILEGES] },
            opts,
        ),
        new postgresql.DefaultPrivileges(
            `${name}-default-sequences`,
            { database, schema, owner, role: app, objectType: "sequence", privileges: [...APP_SEQUENCE_PRIVILEGES] },
            opts,
        ),
    ];
}

/**
 * PostgreSQL grants CONNECT on every new database (and USAGE on `public`) to PUBLIC: revoke them so that only the
 * roles named here can connect, and no environment's roles reach another's database.
 */
export function revokePublic(name: string, database: pulumi.Input<string>, schema: string, opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
    return [
        new postgresql.Grant(`${name}-revoke-public-connect`, { database, role: "public", objectType: "database", privileges: [] }, opts),
        new postgresql.Grant(`${name}-revoke-public-schema`, { database, schema, role: "public", objectType: "schema", privileges: [] }, opts),
    ];
}
