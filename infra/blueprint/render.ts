import type { StackConfig } from "../config/schema";
import { blueprintEntries, envNames, type BlueprintIdentity } from "./entries";
import { stringifyBlueprint, type BlueprintValue } from "./yaml";

/** Metadata labels Gatehouse sets on the blueprints it renders. */
export const STACK_LABEL = "gatehouse/stack";
export const ENVIRONMENT_LABEL = "gatehouse/environment";

/**
 * The stack's Authentik objects as one authentik blueprint (`version: 1`, metadata with labels, entries). No
 * secret value is in it: the client secret and test-user passwords are `!Env` references to the worker's
 * environment, listed in the header.
 */
export function renderBlueprint(config: StackConfig, identity: BlueprintIdentity): string {
    const entries = blueprintEntries(config, identity);
    const env = envNames(entries);
    const blueprint = {
        version: 1,
        metadata: {
            name: `Gatehouse ${identity.project}/${identity.stack}`,
            labels: {
                [STACK_LABEL]: `${identity.project}/${identity.stack}`,
                [ENVIRONMENT_LABEL]: config.environment,
                "blueprints.goauthentik.io/description": `${config.app.displayName ?? config.app.name}: groups, OIDC provider and application, access bindings${config.authentik.brand ? ", brand" : ""}${config.authentik.testUsers.length > 0 ? ", test users" : ""}`,
            },
        },
        entries: entries.map((e) => ({ model: e.model, id: e.id, state: e.state, identifiers: e.identifiers, attrs: e.attrs })),
    } satisfies BlueprintValue;
    const header = [
        ` Rendered by Gatehouse (npm run blueprint) from stack ${identity.project}/${identity.stack}; do not edit: render it again.`,
        " No secret is written here: authentik's worker reads these from its environment (!Env):",
        ...env.map((name) => `   ${name}`),
    ].join("\n");
    return stringifyBlueprint(blueprint, header);
}
