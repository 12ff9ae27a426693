import type * as pulumi from "@pulumi/pulumi";
import { ensureProviderPackage, PROVIDER_PACKAGE } from "./provider-package";

/**
 * Dynamic providers loaded by name. Pulumi stores a dynamic resource's serialized provider in its state, in the
 * inputs and again in the outputs: for the CRUD core that is about 50 KB per resource, which every checkpoint
 * rewrites and every step ships to the provider process, and whose serialization costs the program seconds. So
 * each Authentik resource carries a stub instead, a few hundred bytes naming its provider: the provider process
 * (plain node, in the project directory) loads the CRUD core from `@gatehouse/authentik-providers`, a package
 * under node_modules that the program builds from these sources (provider-package.ts).
 *
 * State written by the full closures still loads: those closures are self-contained, and the core's diff ignores
 * `__provider`, so an existing stack updates without replacements (its outputs keep the old text until changed).
 */

type Provider = pulumi.dynamic.ResourceProvider;

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
 * Registers `provider` under `name` and returns what resources should carry: the stub when the package is built
 * and current, else `provider` itself (serialized in full, as before: e.g. a read-only node_modules).
 */
export function byName(name: string, provider: Provider): Provider {
    registry.set(name, provider);
    return ensureProviderPackage() ? providerStub(name, provider) : provider;
}

/**
 * The stub: the same methods as `provider`, each loading the package's provider by name. What is serialized is
 * these arrow functions, `load` and the name: no client, schema, secret or path.
 */
export function providerStub(name: string, provider: Provider): Provider {
    const load = (): Required<Provider> => {
        let loaded: { provider(name: string): Required<Provider> };
        try {
            loaded = require("@gatehouse/authentik-providers");
        } catch (error) {
            throw new Error(
                `cannot load Gatehouse's Authentik providers (@gatehouse/authentik-providers) from ${process.cwd()}: ${String((error as Error).message).split("\n")[0]}; ` +
                    "run `pulumi preview` once in the project (the program builds the package) or `npm install`",
            );
        }
        return loaded.provider(name);
    };
    const stub: Provider = { create: (inputs) => load().create(inputs) };
    if (provider.configure) stub.configure = (req) => load().configure(req);
    if (provider.check) stub.check = (olds, news) => load().check(olds, news);
    if (provider.diff) stub.diff = (id, olds, news) => load().diff(id, olds, news);
    if (provider.read) stub.read = (id, props) => load().read(id, props);
    if (provider.update) stub.update = (id, olds, news) => load().update(id, olds, news);
    if (provider.delete) stub.delete = (id, props) => load().delete(id, props);
    return stub;
}
