import * as pulumi from "@pulumi/pulumi";

/** What the app's environment is made of; secrets arrive as Pulumi secrets and stay secret. */
export interface AppEnvSources {
    readonly environment: string;
    readonly publicUrl: string;
    readonly redirectUri: string;
    readonly issuer: pulumi.Input<string>;
    readonly clientId: pulumi.Input<string>;
    readonly clientSecret: pulumi.Input<string>;
    readonly secretKey: pulumi.Input<string>;
    readonly databaseUrl: pulumi.Input<string>;
    readonly appDatabaseUrl: pulumi.Input<string>;
    readonly noAuthPolicy: string;
    readonly projectVisibility: boolean;
}

/** Names whose values are credentials: always handed over as Pulumi secrets. */
export const SECRET_ENV_NAMES = ["OIDC_CLIENT_SECRET", "SECRET_KEY", "DATABASE_URL", "DATABASE_URL_APP"] as const;

/**
 * The complete environment the app needs. `DATABASE_URL` is the owner's (migrations), `DATABASE_URL_APP` the
 * RLS-bound runtime role's; `RLS_ENABLED` tells the app to set `app.current_user_id` per request.
 */
export function appEnvironment(src: AppEnvSources): Record<string, pulumi.Output<string>> {
    const plain = (value: pulumi.Input<string>) => pulumi.output(value);
    return {
        APP_ENV: plain(src.environment),
        APP_URL: plain(src.publicUrl),
        OIDC_ISSUER: plain(src.issuer),
        OIDC_CLIENT_ID: plain(src.clientId),
        OIDC_CLIENT_SECRET: pulumi.secret(src.clientSecret),
        OIDC_REDIRECT_URI: plain(src.redirectUri),
        SECRET_KEY: pulumi.secret(src.secretKey),
        DATABASE_URL: pulumi.secret(src.databaseUrl),
        DATABASE_URL_APP: pulumi.secret(src.appDatabaseUrl),
        RLS_ENABLED: plain("true"),
        POLICY_NO_AUTH_DEFAULT: plain(src.noAuthPolicy),
        PROJECT_VISIBILITY_ENABLED: plain(String(src.projectVisibility)),
    };
}
