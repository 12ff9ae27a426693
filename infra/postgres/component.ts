import * as pulumi from "@pulumi/pulumi";
import * as postgresql from "@pulumi/postgresql";
import { grantAppRole, revokePublic } from "./grants";
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
            { parent: this },
        );
        const child: pulumi.CustomResourceOptions = { parent: this, provider };

        const owner = loginRole(`${name}-owner`, args.ownerRole, args.ownerPassword, args.connectionLimit, child);
        const app = loginRole(`${name}-app`, args.appRole, args.appPassword, args.connectionLimit, child);
        const authentik = loginRole(`${name}-authentik`, args.authentikRole, args.authentikPassword, args.connectionLimit, child);

        const appDb = new postgresql.Database(
            `${name}-app-db`,
            { name: args.appDatabase, owner: owner.name, encoding: "UTF8", template: "template0", lcCollate: "C", lcCtype: "C" },
            child,
        );
        const authentikDb = new postgresql.Database(
            `${name}-authentik-db`,
            { name: args.authentikDatabase, owner: authentik.name, encoding: "UTF8", template: "template0", lcCollate: "C", lcCtype: "C" },
            child,
        );
        revokePublic(`${name}-app-db`, appDb.name, args.schema, child);
        revokePublic(`${name}-authentik-db`, authentikDb.name, "public", child);
        grantAppRole(`${name}-app`, { database: appDb.name, schema: args.schema, owner: owner.name, app: app.name }, child);

        const at = (database: string, user: string): ConnectionParts => ({ host: admin.host, port: admin.port, database, user, sslMode: admin.sslMode });
        this.databaseUrl = secretConnectionUrl(at(args.appDatabase, args.ownerRole), args.ownerPassword);
        this.appDatabaseUrl = secretConnectionUrl(at(args.appDatabase, args.appRole), args.appPassword);
        this.appDatabaseName = appDb.name;
        this.authentik = {
            AUTHENTIK_POSTGRESQL__HOST: pulumi.output(admin.host),
            AUTHENTIK_POSTGRESQL__PORT: pulumi.output(String(admin.port)),
            AUTHENTIK_POSTGRESQL__NAME: authentikDb.name,
            AUTHENTIK_POSTGRESQL__USER: authentik.name,
            AUTHENTIK_POSTGRESQL__PASSWORD: pulumi.secret(args.authentikPassword),
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
