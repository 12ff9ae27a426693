import * as pulumi from "@pulumi/pulumi";
import { accessArgs, accessRoles, AuthentikAccess, AuthentikDirectory, AuthentikOidcApp, directoryArgs, oidcAppArgs, redirectUris } from "../infra/authentik";
import { resolveUserGroups } from "../infra/config/groups";
import type { StackConfig } from "../infra/config/schema";
import { appEnvironment } from "../infra/handoff/app-env";
import { GatehouseHandoff } from "../infra/handoff/component";
import { GatehousePostgres } from "../infra/postgres/component";
import { StackGuard } from "../infra/safety/guard";
import { StackIdentity } from "../infra/safety/identity";
import { DynamicProvider } from "../infra/dynamic/provider";
import { usersWithGeneratedPasswords } from "../infra/secrets/derive";
import { GatehouseSecrets } from "../infra/secrets/secrets";
import { GatehouseBlueprints } from "../infra/blueprint/component";
import { startApp, startAuthentik, startRuntime } from "./runtime";

/** Everything one environment exports; every credential is a Pulumi secret. */
export interface StackOutputs {
    readonly environment: string;
    readonly oidc: {
        readonly issuer: pulumi.Output<string>;
        readonly discoveryUrl: pulumi.Output<string>;
        readonly clientId: pulumi.Output<string>;
        readonly clientSecret: pulumi.Output<string>;
        /** The redirect URI the app's callback uses (the first of the provider's). */
        readonly redirectUri: string;
    };
    readonly database: {
        readonly url: pulumi.Output<string>;
        readonly appUrl: pulumi.Output<string>;
        readonly name: pulumi.Output<string>;
    };
    readonly authentikDatabase: Readonly<Record<string, pulumi.Output<string>>>;
    /** What an Authentik deployment needs: its database settings, secret key and bootstrap token. */
    readonly authentikEnv: Readonly<Record<string, pulumi.Output<string>>>;
    readonly groups: Readonly<Record<string, string>>;
    /** Group names whose members may open the application, or `everyone`. */
    readonly access: readonly string[] | "everyone";
    /** Seeded test users and the group names each is in (what `npm run login -- --all-test-users` checks). */
    readonly testUsers: Readonly<Record<string, readonly string[]>>;
    /** Generated passwords of seeded test users, by username (secret); fixed ones are in the stack's config. */
    readonly testUserPasswords: Readonly<Record<string, pulumi.Output<string>>>;
    /** The app's complete environment; secret values are secrets. */
    readonly appEnv: Readonly<Record<string, pulumi.Output<string>>>;
    readonly envFile?: pulumi.Output<string>;
}

/**
 * The stack's resources are named from this. The stack scopes every name already: the environment in a resource
 * name would make changing it a replacement.
 */
const NAME = "gatehouse";

/**
 * Every dynamic resource's provider, configured with the Authentik token alone (not the whole stack config).
 * Declared before anything else: its process starts (about a second: node, the SDK, gRPC) while the program checks
 * PostgreSQL and declares the rest, instead of after. It changes nothing outside the state.
 */
export function declareDynamicProvider(config: StackConfig): DynamicProvider {
    return new DynamicProvider(`${NAME}-dynamic`, { ...(config.authentik.token !== undefined && { authentikToken: config.authentik.token }) });
}

/** Composes the components for one environment from its validated config. */
export function buildStack(config: StackConfig, dynamic: DynamicProvider = declareDynamicProvider(config)): StackOutputs {
    const name = NAME;
    // Components hand the dynamic provider to their children (Pulumi resolves a child's provider by package through its parents).
    const inherit: pulumi.ComponentResourceOptions = { providers: [dynamic] };
    // Stacks made before the environment left the names keep their resources (children follow their parent's alias).
    const formerly = (component: string): pulumi.ComponentResourceOptions => ({ ...inherit, aliases: [{ name: `gatehouse-${config.environment}-${component}` }] });
    // First of all: a stack never changes environment (its check fails before any other step runs).
    new StackIdentity(`${name}-environment`, config.environment, { provider: dynamic });
    const generatedFor = usersWithGeneratedPasswords(config.authentik);
    // The local docker runtime (dev and test), where the stack points at it: PostgreSQL first, Authentik once its database exists.
    const runtime = startRuntime(name, config, inherit);
    const secrets = new GatehouseSecrets(`${name}-secrets`, { rotation: config.rotation, testUsernames: generatedFor, bootstrapPassword: runtime.services.authentik }, formerly("secrets"));

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
        stateful: config.stateful,
    }, { ...formerly("postgres"), dependsOn: runtime.postgresReady });

    const connection = startAuthentik(name, config, runtime, postgres, secrets, inherit);
    const oidcApp = new AuthentikOidcApp(`${name}-oidc`, oidcAppArgs(config, secrets.oidcClientSecret, connection), formerly("oidc"));
    const directory = new AuthentikDirectory(`${name}-directory`, directoryArgs(config, secrets.testUserPasswords, connection), formerly("directory"));
    const access = new AuthentikAccess(`${name}-access`, accessArgs(config, oidcApp.applicationPk, directory.groups, connection), inherit);
    // Blueprints written by people (blueprints/), applied once Gatehouse's own objects exist: they may refer to them.
    if (config.authentik.blueprints.length > 0) {
        const url = connection?.url ?? config.authentik.url;
        new GatehouseBlueprints(`${name}-blueprints`, { url, ...(connection?.token !== undefined && { token: connection.token }), files: config.authentik.blueprints }, { ...inherit, dependsOn: [oidcApp, directory, access] });
    }

    const appEnv = appEnvironment({
        environment: config.environment,
        publicUrl: config.app.publicUrl,
        redirectUri: redirectUris(config)[0]!,
        issuer: oidcApp.issuerUrl,
        clientId: oidcApp.clientId,
        clientSecret: oidcApp.clientSecret,
        secretKey: secrets.appSecretKey,
        databaseUrl: postgres.databaseUrl,
        appDatabaseUrl: postgres.appDatabaseUrl,
        noAuthPolicy: config.app.noAuthPolicy,
        projectVisibility: config.app.projectVisibility,
    });
    const handoff = new GatehouseHandoff(`${name}-handoff`, { environment: config.environment, appEnv, envFile: config.handoff.envFile }, formerly("handoff"));
    startApp(name, config, runtime, appEnv, inherit);

    // Last, depending on everything: a destroy deletes it first, so its refusal (safety.protect) deletes nothing.
    new StackGuard(
        `${name}-safety`,
        {
            protect: config.stateful.protect,
            keeps: [`database ${config.names.appDatabase}`, `database ${config.names.authentikDatabase}`, ...Object.values(directory.groupNames).map((group) => `group ${group}`)],
        },
        { provider: dynamic, dependsOn: [secrets, postgres, oidcApp, directory, access, handoff] },
    );

    return {
        environment: config.environment,
        oidc: {
            issuer: oidcApp.issuerUrl,
            discoveryUrl: oidcApp.issuerUrl.apply((issuer) => `${issuer}.well-known/openid-configuration`),
            clientId: oidcApp.clientId,
            clientSecret: oidcApp.clientSecret,
            redirectUri: redirectUris(config)[0]!,
        },
        database: { url: postgres.databaseUrl, appUrl: postgres.appDatabaseUrl, name: postgres.appDatabaseName },
        authentikDatabase: { ...postgres.authentik },
        authentikEnv: {
            ...postgres.authentik,
            AUTHENTIK_SECRET_KEY: secrets.authentikSecretKey,
            AUTHENTIK_BOOTSTRAP_TOKEN: secrets.authentikBootstrapToken,
            ...(secrets.authentikBootstrapPassword !== undefined && { AUTHENTIK_BOOTSTRAP_PASSWORD: secrets.authentikBootstrapPassword }),
        },
        groups: directory.groupNames,
        access: config.authentik.access === "everyone" ? "everyone" : accessRoles(config).map((role) => directory.groupNames[role]!),
        testUsers: Object.fromEntries(
            config.authentik.testUsers.map((u) => [u.username, resolveUserGroups(u.username, u.groups, directory.groupNames).map((role) => directory.groupNames[role]!)]),
        ),
        testUserPasswords: secrets.testUserPasswords,
        appEnv,
        ...(handoff.envFilePath && { envFile: handoff.envFilePath }),
    };
}
