import * as pulumi from "@pulumi/pulumi";
import { bindingOrder } from "./objects";
import { PolicyBinding } from "./policy-binding";

export interface AuthentikAccessArgs {
    /** Base URL of Authentik (`authentik.url`). */
    readonly url: pulumi.Input<string>;
    /** The API token when it is not the stack's `authentik.token` (the runtime's bootstrap token); a secret. */
    readonly token?: pulumi.Input<string>;
    /** Take over existing bindings (`authentik.adopt`). Default false. */
    readonly adopt?: boolean;
    /** The application's pk (AuthentikOidcApp.applicationPk). */
    readonly applicationPk: pulumi.Input<string>;
    /** Group pk by role (AuthentikDirectory.groups). */
    readonly groups: Readonly<Record<string, pulumi.Input<string>>>;
    /** Roles whose members may open the application, in evaluation order; empty: no binding, everyone gets in. */
    readonly roles: readonly string[];
}

/**
 * Who may open the application: one group binding per role on the application. authentik admits anyone to an
 * application without bindings, so an empty list is the explicit `authentik.access: everyone`.
 */
export class AuthentikAccess extends pulumi.ComponentResource {
    /** Binding pk by role. */
    readonly bindings: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: AuthentikAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gatehouse:authentik:AuthentikAccess", name, {}, opts);
        const unknown = args.roles.filter((role) => args.groups[role] === undefined);
        if (unknown.length > 0) throw new Error(`AuthentikAccess "${name}": no group for ${unknown.join(", ")}; expected one of ${Object.keys(args.groups).join(", ")}`);
        this.bindings = Object.fromEntries(
            args.roles.map((role, i) => {
                const binding = new PolicyBinding(
                    `${name}-${role}`,
                    {
                        url: args.url,
                        adopt: args.adopt ?? false,
                        ...(args.token !== undefined && { token: pulumi.secret(args.token) }),
                        group: args.groups[role]!,
                        target: args.applicationPk,
                        order: bindingOrder(i),
                    },
                    { parent: this },
                );
                return [role, binding.pk];
            }),
        );
        this.registerOutputs({ bindings: this.bindings });
    }
}
