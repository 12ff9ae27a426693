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
export function grantAppRole(name: string, args: AppRoleGrantsArgs): GrantSpec[] {
    const { database, schema, owner, app } = args;
    return [
        { kind: "grant", name: `${name}-connect`, args: { database, role: app, objectType: "database", privileges: ["CONNECT"] } },
        { kind: "grant", name: `${name}-schema-usage`, args: { database, schema, role: app, objectType: "schema", privileges: ["USAGE"] } },
        { kind: "grant", name: `${name}-tables`, args: { database, schema, role: app, objectType: "table", privileges: [...APP_TABLE_PRIVILEGES] } },
        { kind: "grant", name: `${name}-sequences`, args: { database, schema, role: app, objectType: "sequence", privileges: [...APP_SEQUENCE_PRIVILEGES] } },
        { kind: "default", name: `${name}-default-tables`, args: { database, schema, owner, role: app, objectType: "table", privileges: [...APP_TABLE_PRIVILEGES] } },
        { kind: "default", name: `${name}-default-sequences`, args: { database, schema, owner, role: app, objectType: "sequence", privileges: [...APP_SEQUENCE_PRIVILEGES] } },
    ];
}

/**
 * PostgreSQL grants CONNECT on every new database (and USAGE on `public`) to PUBLIC: revoke them so that only the
 * roles named here can connect, and no environment's roles reach another's database.
 */
export function revokePublic(name: string, database: pulumi.Input<string>, schema: string): GrantSpec[] {
    return [
        { kind: "grant", name: `${name}-revoke-public-connect`, args: { database, role: "public", objectType: "database", privileges: [] } },
        { kind: "grant", name: `${name}-revoke-public-schema`, args: { database, schema, role: "public", objectType: "schema", privileges: [] } },
    ];
}

/** A grant or default privileges to declare (see `chained`). */
export type GrantSpec =
    | { readonly kind: "grant"; readonly name: string; readonly args: postgresql.GrantArgs }
    | { readonly kind: "default"; readonly name: string; readonly args: postgresql.DefaultPrivilegesArgs };

/**
 * Declares the grants of one database one after the other: PostgreSQL refuses two concurrent updates of one catalog
 * row (`tuple concurrently updated`, cyrilgdn/terraform-provider-postgresql#178), and parallel GRANTs on a database
 * or schema are exactly that.
 *
 * Grants are `retainOnDelete`: a privilege belongs to the role and the database (by OID), not to their names, so
 * after a rename the replaced grant's REVOKE — which would name a role or database that no longer exists — must not
 * run; the replacement's GRANT (the provider revokes, then grants) already holds. On destroy the privileges go with
 * the database.
 */
export function chained(specs: readonly GrantSpec[], opts: pulumi.CustomResourceOptions): pulumi.CustomResource[] {
    const declared: pulumi.CustomResource[] = [];
    for (const spec of specs) {
        const after: pulumi.CustomResourceOptions = { ...opts, retainOnDelete: true, ...(declared.length > 0 && { dependsOn: [declared[declared.length - 1]!] }) };
        declared.push(spec.kind === "grant" ? new postgresql.Grant(spec.name, spec.args, after) : new postgresql.DefaultPrivileges(spec.name, spec.args, after));
    }
    return declared;
}
