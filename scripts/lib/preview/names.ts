import { ROTATABLE_SECRETS } from "../../../infra/config/constants";
import { UNKNOWN, urnParts, type JsonValue, type PreviewStep, type ResourceState } from "./model";

/**
 * Names a reviewer knows things by, from the states in the same preview: a group pk becomes `acme-admins`, a
 * RandomPassword `oidc-client-secret`. Run the preview with `--show-sames`, or unchanged groups are not in it and
 * their pks stay pks.
 */
export interface Names {
    /** The natural name of the object with this pk (group, scope mapping, flow, key pair, provider, application, user). */
    byPk(pk: JsonValue | undefined): string | undefined;
    /** The natural name of the resource with this URN. */
    byUrn(urn: string): string | undefined;
}

const AUTHENTIK = "pulumi-nodejs:dynamic/authentik:";
const str = (value: JsonValue | undefined): string | undefined => (typeof value === "string" && value !== "" && value !== UNKNOWN ? value : typeof value === "number" ? String(value) : undefined);

/** The rotation name of a RandomPassword (`<app>-secrets-<secret>`, as `npm run rotate` maps them). */
export function rotationName(urn: string): string | undefined {
    const name = urnParts(urn).name;
    const at = name.indexOf("-secrets-");
    if (at < 0) return undefined;
    const rest = name.slice(at + "-secrets-".length);
    if ((ROTATABLE_SECRETS as readonly string[]).includes(rest)) return rest;
    // One per test user, as stacks had them before the users' passwords were derived from one key.
    if (rest.startsWith("test-user-passwords-")) return `test-user-passwords (${rest.slice("test-user-passwords-".length)})`;
    return undefined;
}

/** The pk other resources refer to this object by, when the state knows it. */
function pkOf(state: ResourceState): string | undefined {
    return str(state.outputs?.pk) ?? (state.type.startsWith(AUTHENTIK) && !state.type.endsWith("Lookup") ? str(state.id) : undefined);
}

/** The object's natural name as its inputs (or, for lookups, outputs) give it. */
function naturalName(state: ResourceState, names: Names): string | undefined {
    const inputs = state.inputs ?? {};
    const outputs = state.outputs ?? {};
    const kind = state.type.startsWith(AUTHENTIK) ? state.type.slice(AUTHENTIK.length) : state.type;
    switch (kind) {
        case "Group":
        case "OAuth2Provider":
        case "ScopeMapping":
        case "CertificateKeyPairLookup":
        case "MediaFile":
            return str(inputs.name);
        case "User":
            return str(inputs.username);
        case "Application":
        case "FlowLookup":
            return str(inputs.slug);
        case "ScopeMappingLookup":
            return str(outputs.name) ?? str(inputs.managed);
        case "Brand":
            return str(inputs.domain);
        case "PolicyBinding":
            return groupName(state, "group", names);
        case "postgresql:index/role:Role":
        case "postgresql:index/database:Database":
            return str(inputs.name);
        case "postgresql:index/grant:Grant": {
            const [type, db, schema, role] = [str(inputs.objectType) ?? "?", str(inputs.database) ?? "?", str(inputs.schema), str(inputs.role) ?? "?"];
            if (type === "database") return `database ${db} to ${role}`;
            if (type === "schema") return `schema ${schema ?? "?"} of ${db} to ${role}`;
            return `${type}s in ${schema ?? "?"} of ${db} to ${role}`;
        }
        case "postgresql:index/defaultPrivileges:DefaultPrivileges":
            return `${str(inputs.objectType) ?? "?"}s of ${str(inputs.owner) ?? "?"} in ${str(inputs.database) ?? "?"} for ${str(inputs.role) ?? "?"}`;
        case "random:index/randomPassword:RandomPassword":
            return rotationName(state.urn);
        case "pulumi-nodejs:dynamic/gatehouse:EnvFile":
            return str(inputs.path);
        default:
            return undefined;
    }
}

/**
 * The name of the group a property refers to: by pk, or, while the group is still being created (its pk unknown), by
 * the group resource the property depends on.
 */
export function groupName(state: ResourceState, property: string, names: Names): string | undefined {
    const pk = state.inputs?.[property];
    return names.byPk(pk) ?? (state.propertyDependencies?.[property] ?? []).map((urn) => names.byUrn(urn)).find((name) => name !== undefined);
}

/**
 * The names of a list of pks: known pks by the index; unknown ones (objects created in this update) by the
 * resources the property depends on that are not among the known pks.
 */
export function listNames(state: ResourceState | undefined, property: string, names: Names): string[] {
    const value = state?.inputs?.[property];
    const items = Array.isArray(value) ? value : [];
    const known = items.filter((item) => item !== UNKNOWN).map((item) => names.byPk(item) ?? String(item));
    const unknownCount = items.length - known.length;
    if (unknownCount === 0) return known;
    const pending = (state?.propertyDependencies?.[property] ?? []).map((urn) => names.byUrn(urn)).filter((name): name is string => name !== undefined && !known.includes(name));
    const fromDependencies = pending.slice(0, unknownCount);
    return [...known, ...fromDependencies, ...Array<string>(unknownCount - fromDependencies.length).fill("(new, known after apply)")];
}

export function indexNames(steps: readonly PreviewStep[]): Names {
    // New states first: a renamed group is known by its new name.
    const states = steps.flatMap((step) => [step.newState, step.oldState]).filter((state): state is ResourceState => state !== undefined);
    const pks = new Map<string, string>();
    const urns = new Map<string, string>();
    const names: Names = { byPk: (pk) => (str(pk) !== undefined ? pks.get(str(pk)!) : undefined), byUrn: (urn) => urns.get(urn) };
    // Bindings are named by their group: index everything else first.
    const ordered = [...states.filter((s) => !s.type.endsWith(":PolicyBinding")), ...states.filter((s) => s.type.endsWith(":PolicyBinding"))];
    for (const state of ordered) {
        const name = naturalName(state, names);
        if (name === undefined) continue;
        if (!urns.has(state.urn)) urns.set(state.urn, name);
        const pk = pkOf(state);
        if (pk !== undefined && !pks.has(pk)) pks.set(pk, name);
    }
    return names;
}
