import * as pulumi from "@pulumi/pulumi";

interface IdentityState {
    readonly environment: string;
}

/**
 * Refuses a change of `environment` on an existing stack: every database, role and Authentik name carries it, so the
 * change would rename or replace them all. Declared first, so its check fails the run before any other step.
 */
const identityProvider: pulumi.dynamic.ResourceProvider<IdentityState, IdentityState> = {
    async check(olds, news) {
        const before = (olds as Partial<IdentityState> | undefined)?.environment;
        if (before !== undefined && before !== news.environment) {
            return {
                inputs: news,
                failures: [
                    {
                        property: "environment",
                        reason: `this stack is the ${before} environment; changing it to ${news.environment} would rename every database, role and Authentik object it has. Make a stack for ${news.environment} instead (pulumi stack init), and leave this one as it is`,
                    },
                ],
            };
        }
        return { inputs: news, failures: [] };
    },
    async create(inputs) {
        return { id: inputs.environment, outs: inputs };
    },
};

export class StackIdentity extends pulumi.dynamic.Resource {
    constructor(name: string, environment: string, opts?: pulumi.CustomResourceOptions) {
        super(identityProvider, name, { environment }, opts, "gatehouse", "StackIdentity");
    }
}
