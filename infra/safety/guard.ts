import * as pulumi from "@pulumi/pulumi";

interface GuardState {
    /** Refuse `pulumi destroy` of the whole stack. */
    readonly protect: boolean;
    readonly stack: string;
    /** What the stack keeps, for the refusal message: `database acme_prod`, `group acme-admins`, … */
    readonly keeps: string[];
}

/**
 * Refuses `pulumi destroy` of a protected stack before anything is deleted. Pulumi's own `protect` stops a destroy
 * only when it reaches the protected resource, after others (the application, its provider) are already gone; the
 * guard depends on every resource of the stack, so a destroy deletes it first, and its refusal deletes nothing.
 */
const guardProvider: pulumi.dynamic.ResourceProvider<GuardState, GuardState> = {
    async diff(_id, olds, news) {
        return { changes: olds.protect !== news.protect || olds.stack !== news.stack || JSON.stringify(olds.keeps) !== JSON.stringify(news.keeps) };
    },
    async create(inputs) {
        return { id: `safety-${inputs.stack}`, outs: inputs };
    },
    async update(_id, _olds, news) {
        return { outs: news };
    },
    async delete(_id, props) {
        if (!props.protect) return;
        throw new Error(
            `destroy of stack ${props.stack} refused: it protects its data (safety.protect, on by default in qa and prod): ${props.keeps.join(", ")}. ` +
                `Nothing was deleted. To destroy it anyway: pulumi config set --path safety.protect false, pulumi up, pulumi destroy ` +
                `(databases, their roles and groups are still kept in place unless safety.retainOnDelete is false).`,
        );
    },
};

export interface StackGuardArgs {
    readonly protect: boolean;
    readonly keeps: readonly string[];
}

export class StackGuard extends pulumi.dynamic.Resource {
    constructor(name: string, args: StackGuardArgs, opts: pulumi.CustomResourceOptions) {
        super(guardProvider, name, { protect: args.protect, stack: pulumi.getStack(), keeps: [...args.keeps] }, opts, "gatehouse", "StackGuard");
    }
}
