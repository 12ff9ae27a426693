import * as pulumi from "@pulumi/pulumi";
import * as postgresql from "@pulumi/postgresql";
import type { StatefulOptions } from "../config/schema";
import { chained, grantAppRole, revokePublic } from "./grants";
import { secretConnectionUrl, type ConnectionParts } from "./urls";

export interface PostgresAdminConnection {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly password: pulumi.Input<string>;
    /** Database the admin connects to. */
    readonly database: string;
    readonly sslMode: string;
}

export interface GatehousePostgresArgs {
    /** The admin connection that creates databases and roles. */
    readonly admin: PostgresAdminConnection;
    readonly appDatabase: string;
    readonly authentikDatabase: string;
    readonly ownerRole: string;
    readonly appRole: string;
    readonly authentikRole: string;
    /** Schema the app's tables live in. */
    readonly schema: string;
    /** Per-role connection limit; -1 = unlimited. */
    readonly connectionLimit: number;
    readonly ownerPassword: pulumi.Input<string>;
    readonly appPassword: pulumi.Input<string>;
    readonly authentikPassword: pulumi.Input<string>;
    /** Whether destroy may drop the databases and their roles (`config.stateful`). */
    readonly stateful: StatefulOptions;
}

/** The environment variables Authentik reads for its database. */
export interface AuthentikDatabaseSettings {
    readonly AUTHENTIK_POSTGRESQL__HOST: pulumi.Output<string>;
    readonly AUTHENTIK_POSTGRESQL__PORT: pulumi.Output<string>;
    readonly AUTHENTIK_POSTGRESQL__NAME: pulumi.Output<string>;
    readonly AUTHENTIK_POSTGRESQL__USER: pulumi.Output<string>;
    readonly AUTHENTIK_POSTGRESQL__PASSWORD: pulumi.Output<string>;
}

/**
 * The app's PostgreSQL for one environment: its database and Authentik's, an owner role for migrations,
 * a runtime role that Row Level Security applies to (not the owner, NOBYPASSRLS, data access only), and
 * Authentik's own role. Databases are closed to PUBLIC so roles of one environment cannot reach another's.
 */
export class GatehousePostgres extends pulumi.ComponentResource {
    /** Owner connection, for migrations. */
    readonly databaseUrl: pulumi.Output<string>;
    /** Runtime connection as the RLS-bound app role. */
    readonly appDatabaseUrl: pulumi.Output<string>;
    readonly authentik: AuthentikDatabaseSettings;
    readonly appDatabaseName: pulumi.Output<string>;

    constructor(name: string, args: GatehousePostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gatehouse:postgres:GatehousePostgres", name, {}, opts);
        const admin = args.admin;
        const provider = new postgresql.Provider(
            `${name}-admin`,
            {
                host: admin.host,
                port: admin.port,
                username: admin.user,
                password: pulumi.secret(admin.password),
                database: admin.database,
                sslmode: admin.sslMode,
                connectTimeout: 15,
            },
            // What the component depends on (the local runtime's PostgreSQL container) is up before the first connection.
            { parent: this, dependsOn: opts?.dependsOn },
        );
        const child: pulumi.CustomResourceOptions = { parent: this, provider };

        // Databases and the roles that own their data are never dropped by accident (protect / retainOnDelete).
        const kept: pulumi.CustomResourceOptions = { ...child, protect: args.stateful.protect, retainOnDelete: args.stateful.retainOnDelete };
        const owner = loginRole(`${name}-owner`, args.ownerRole, args.ownerPassword, args.connectionLimit, kept);
        const app = loginRole(`${name}-app`, args.appRole, args.appPassword, args.connectionLimit, kept);
        const authentik = loginRole(`${name}-authentik`, args.authentikRole, args.authentikPassword, args.connectionLimit, kept);

        const database = (resourceName: string, databaseName: string, ownerRole: postgresql.Role) =>
            new postgresql.Database(resourceName, { name: databaseName, owner: ownerRole.name, encoding: "UTF8", template: "template0", lcCollate: "C", lcCtype: "C" }, kept);
        const appDb = database(`${name}-app-db`, args.appDatabase, owner);
        const authentikDb = database(`${name}-authentik-db`, args.authentikDatabase, authentik);
        // One chain per database: concurrent GRANTs on one catalog row fail (`tuple concurrently updated`).
        chained([...revokePublic(`${name}-app-db`, appDb.name, args.schema), ...grantAppRole(`${name}-app`, { database: appDb.name, schema: args.schema, owner: owner.name, app: app.name })], child);
        chained(revokePublic(`${name}-authentik-db`, authentikDb.name, "public"), child);

        // Built from the roles' and databases' outputs, so whoever reads them (the .env file, a StackReference) gets
        // a new password only once the server has accepted it.
        const url = (role: postgresql.Role, db: postgresql.Database) =>
            secretConnectionUrl(
                pulumi.all([role.name, db.name]).apply(([user, dbName]): ConnectionParts => ({ host: admin.host, port: admin.port, database: dbName, user, sslMode: admin.sslMode })),
                role.password.apply((pw) => pw ?? ""),
            );
        this.databaseUrl = url(owner, appDb);
        this.appDatabaseUrl = url(app, appDb);
        this.appDatabaseName = appDb.name;
        this.authentik = {
            AUTHENTIK_POSTGRESQL__HOST: pulumi.output(admin.host),
            AUTHENTIK_POSTGRESQL__PORT: pulumi.output(String(admin.port)),
            AUTHENTIK_POSTGRESQL__NAME: authentikDb.name,
            AUTHENTIK_POSTGRESQL__USER: authentik.name,
            AUTHENTIK_POSTGRESQL__PASSWORD: pulumi.secret(authentik.password.apply((pw) => pw ?? "")),
        };
        this.registerOutputs({ databaseUrl: this.databaseUrl, appDatabaseUrl: this.appDatabaseUrl });
    }
}

/** A LOGIN role with no powers beyond its grants: the defaults written out, so a drift shows in a diff. */
function loginRole(resourceName: string, roleName: string, password: pulumi.Input<string>, connectionLimit: number, opts: pulumi.CustomResourceOptions): postgresql.Role {
    return new postgresql.Role(
        resourceName,
        {
            name: roleName,
            login: true,
            password: pulumi.secret(password),
            superuser: false,
            createDatabase: false,
            createRole: false,
            inherit: true,
            replication: false,
            bypassRowLevelSecurity: false,
            connectionLimit,
        },
        opts,
    );
}
