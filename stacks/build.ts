import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../infra/config/schema";
import { GatehousePostgres } from "../infra/postgres/component";
import { GatehouseSecrets } from "../infra/secrets/secrets";

/** Everything one environment exports; every credential is a Pulumi secret. */
export interface StackOutputs {
    readonly environment: string;
    readonly database: {
        readonly url: pulumi.Output<string>;
        readonly appUrl: pulumi.Output<string>;
        readonly name: pulumi.Output<string>;
    };
    readonly authentikDatabase: Readonly<Record<string, pulumi.Output<string>>>;
}

/** Composes the components for one environment from its validated config. */
export function buildStack(config: StackConfig): StackOutputs {
    const name = `gatehouse-${config.environment}`;
    const fixedTestPassword = config.authentik.testUserPassword !== undefined;
    const secrets = new GatehouseSecrets(`${name}-secrets`, {
        rotation: config.rotation,
        testUsernames: fixedTestPassword ? [] : config.authentik.testUsers.filter((u) => u.password === undefined).map((u) => u.username),
    });
    const postgres = new GatehousePostgres(`${name}-postgres`, {
        admin: {
            host: config.postgres.host,
            port: config.postgres.port,
            user: config.postgres.adminUser,
            password: config.postgres.adminPassword,
            database: config.postgres.adminDatabase,
            sslMode: config.postgres.sslMode,
        },
        appDatabase: config.names.appDatabase,
        authentikDatabase: config.names.authentikDatabase,
        ownerRole: config.names.ownerRole,
        appRole: config.names.appRole,
        authentikRole: config.names.authentikRole,
        schema: config.postgres.schema,
        connectionLimit: config.postgres.connectionLimit,
        ownerPassword: secrets.ownerPassword,
        appPassword: secrets.appPassword,
        authentikPassword: secrets.authentikDbPassword,
    });
    return {
        environment: config.environment,
        database: { url: postgres.databaseUrl, appUrl: postgres.appDatabaseUrl, name: postgres.appDatabaseName },
        authentikDatabase: { ...postgres.authentik },
    };
}
