/**
 * Entry of `@gatehouse/authentik-providers` (core/provider-package.ts builds it from here): loading every module that
 * registers a provider by name (core/by-name.ts), then handing the dynamic-provider process the one it asks for.
 * A module with a `byName(…)` provider must be imported here (test/authentik/provider-package.test.ts checks).
 */
import "./application";
import "./brand";
import "./group";
import "./lookups";
import "./media-file";
import "./oauth2-provider";
import "./policy-binding";
import "./scope-mapping";
import "./user";
import { registeredNames, registeredProvider } from "./core/by-name";

export const provider = registeredProvider;
export const names = registeredNames;
