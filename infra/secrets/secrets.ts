import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { RotatableSecret } from "../config/constants";
import { testUserPassword } from "./derive";
import { SECRET_POLICIES } from "./policy";

export interface GatehouseSecretsArgs {
    /** Rotation counter per secret (stack config `rotation.<name>`); a new value replaces that secret. Default 0. */
    readonly rotation: Readonly<Partial<Record<RotatableSecret, number>>>;
    /** Usernames of seeded test users that need a generated password (none when the stack fixes one). */
    readonly testUsernames: readonly string[];
    /** Generate akadmin's AUTHENTIK_BOOTSTRAP_PASSWORD: only a stack whose runtime runs Authentik needs one. Default false. */
    readonly bootstrapPassword?: boolean;
}

/**
 * Every secret Gatehouse generates, one `RandomPassword` each; seeded test users' passwords are derived from one
 * (`test-user-passwords`, see derive.ts), a password of its own per user. Rotation is replacement: `keepers` carry
 * the rotation counter, and `pulumi up --replace <urn>` does the same on demand. Consumers take the `result`
 * outputs, so a rotated value reaches them in the same update.
 */
export class GatehouseSecrets extends pulumi.ComponentResource {
    readonly appSecretKey: pulumi.Output<string>;
    readonly authentikSecretKey: pulumi.Output<string>;
    readonly authentikBootstrapToken: pulumi.Output<string>;
    /** akadmin's password on an Authentik the runtime runs (see `bootstrapPassword`). */
    readonly authentikBootstrapPassword?: pulumi.Output<string>;
    readonly ownerPassword: pulumi.Output<string>;
    readonly appPassword: pulumi.Output<string>;
    readonly authentikDbPassword: pulumi.Output<string>;
    readonly oidcClientSecret: pulumi.Output<string>;
    /** Generated password per test username (derived from one RandomPassword; none without test usernames). */
    readonly testUserPasswords: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: GatehouseSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gatehouse:secrets:GatehouseSecrets", name, {}, opts);
        const make = (secret: RotatableSecret) => randomSecret(this, `${name}-${secret}`, secret, args.rotation[secret] ?? 0);
        this.appSecretKey = make("app-secret-key");
        this.authentikSecretKey = make("authentik-secret-key");
        this.authentikBootstrapToken = make("authentik-bootstrap-token");
        if (args.bootstrapPassword === true) this.authentikBootstrapPassword = make("authentik-bootstrap-password");
        this.ownerPassword = make("db-owner-password");
        this.appPassword = make("db-app-password");
        this.authentikDbPassword = make("db-authentik-password");
        this.oidcClientSecret = make("oidc-client-secret");
        this.testUserPasswords = testUserPasswords(args.testUsernames, () => make("test-user-passwords"));
        this.registerOutputs({});
    }
}

/** One password per username, each derived from the one generated key (made only when a username needs it). */
function testUserPasswords(usernames: readonly string[], makeKey: () => pulumi.Output<string>): Record<string, pulumi.Output<string>> {
    if (usernames.length === 0) return {};
    const key = makeKey();
    return Object.fromEntries(usernames.map((username) => [username, pulumi.secret(key.apply((k) => testUserPassword(k, username)))]));
}

function randomSecret(parent: pulumi.Resource, resourceName: string, secret: RotatableSecret, rotation: number): pulumi.Output<string> {
    const policy = SECRET_POLICIES[secret];
    const password = new random.RandomPassword(
        resourceName,
        {
            length: policy.length,
            special: policy.special.length > 0,
            overrideSpecial: policy.special.length > 0 ? policy.special : undefined,
            minLower: 1,
            minUpper: 1,
            minNumeric: 1,
            keepers: { rotation: String(rotation) },
        },
        { parent },
    );
    // RandomPassword.result is already secret; say so again so no refactoring can lose it.
    return pulumi.secret(password.result);
}
