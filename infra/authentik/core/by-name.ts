import * as pulumi from "@pulumi/pulumi";
import { ensureProviderPackage, PROVIDER_PACKAGE } from "./provider-package";

/**
 * Dynamic providers loaded by name. Pulumi stores a dynamic resource's serialized provider in its state, in the
 * inputs and again in the outputs, and the engine rewrites the whole state after every step: for the CRUD core's
 * closure that was about 50 kB per resource, and even a stub of seven one-line methods serializes to 2.4 kB of
 * `with` wrappers. So each Authentik resource carries a loader of a few hundred bytes instead, the module text the
 * dynamic-provider process evaluates (`exports.handler`): the provider process (plain node, in the project
 * directory) loads the CRUD core from `@gatehouse/authentik-providers`, a package under node_modules that the
 * program builds from these sources (provider-package.ts).
 *
 * State written by earlier texts (full closures, stubs) still loads: the provider process evaluates whatever text a
 * resource carries, those texts are self-contained, and the core's diff ignores `__provider`, so an existing stack
 * updates without replacements (its outputs keep the old text until the object changes).
 */

type Provider = pulumi.dynamic.ResourceProvider;

/** A provider registered by name, and the `__provider` text its resources carry. */
export interface NamedProvider {
    /** The module text the dynamic-provider process evaluates (`exports.handler` returns the provider). */
    serialized(): pulumi.Input<string>;
}

const registry = new Map<string, Provider>();

/** The provider registered under `name` (what the package's entry hands the provider process). */
export function registeredProvider(name: string): Provider {
    const provider = registry.get(name);
    if (provider === undefined) {
        throw new Error(`${PROVIDER_PACKAGE} has no provider named ${JSON.stringify(name)}; known: ${[...registry.keys()].join(", ")}`);
    }
    return provider;
}

/** Names registered so far (tests). */
export function registeredNames(): string[] {
    return [...registry.keys()];
}

/**
 * Registers `provider` under `name`. Its resources carry the loader when the package is built and current, else
 * the provider itself, serialized in full as `pulumi.dynamic.Resource` would (e.g. a read-only node_modules).
 */
export function byName(name: string, provider: Provider): NamedProvider {
    registry.set(name, provider);
    let inFull: pulumi.Output<string> | undefined;
    return { serialized: () => (ensureProviderPackage() ? providerLoader(name) : (inFull ??= serializedInFull(provider))) };
}

/**
 * The loader: plain JavaScript (it is evaluated as it stands, never transpiled), naming the package and the
 * provider, no code of the core, client, schema, secret or path. It is written once per resource in the inputs and
 * once in the outputs of every checkpoint, so it is kept to one line; a failed load still says what to do.
 */
export function providerLoader(name: string): string {
    const cannotLoad = JSON.stringify(`cannot load ${PROVIDER_PACKAGE} from `);
    const hint = JSON.stringify(" (run `pulumi preview` or `npm install` there): ");
    return (
        `exports.handler=function(){var p;try{p=require(${JSON.stringify(PROVIDER_PACKAGE)})}` +
        `catch(e){throw new Error(${cannotLoad}+process.cwd()+${hint}+String(e&&e.message).split("\\n")[0])}` +
        `return p.provider(${JSON.stringify(name)})};\n`
    );
}

/** What `pulumi.dynamic.Resource` stores for `provider`: its closure serialized, a secret if it captured one. */
function serializedInFull(provider: Provider): pulumi.Output<string> {
    const serialized = pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    return pulumi.output(serialized).apply((fn) => (fn.containsSecrets ? pulumi.secret(fn.text) : pulumi.output(fn.text)));
}

/**
 * A resource of a provider loaded by name: registered exactly as `pulumi.dynamic.Resource` registers one (type
 * `pulumi-nodejs:dynamic/<module>:<type>`, the provider's text in the reserved `__provider` input, which the
 * dynamic-provider process evaluates), with the text Gatehouse chose instead of one serialized from an object.
 */
export class ByNameResource extends pulumi.CustomResource {
    constructor(provider: NamedProvider, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined, module: string, type: string) {
        if ("__provider" in props) throw new Error("A dynamic resource must not define the __provider key");
        super(`pulumi-nodejs:dynamic/${module}:${type}`, name, { ...props, __provider: provider.serialized() }, opts);
    }
}
