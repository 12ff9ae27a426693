import { AUTHENTIK_RUNTIME_SECRETS, type RotatableSecret } from "../../../infra/config/constants";
import { maskText } from "./mask";
import { rotationName, type Names } from "./names";
import { urnParts, type Preview, type PreviewStep, type ResourceState } from "./model";

/** What a step does to a resource, as a reviewer counts it. */
export type Action = "create" | "update" | "replace" | "delete" | "import";

export interface Change {
    readonly urn: string;
    readonly type: string;
    readonly action: Action;
    readonly old?: ResourceState;
    readonly new?: ResourceState;
    readonly step: PreviewStep;
}

export const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";

const ACTIONS: Readonly<Record<string, Action>> = {
    create: "create",
    update: "update",
    delete: "delete",
    replace: "replace",
    "create-replacement": "replace",
    "delete-replaced": "replace",
    "read-replacement": "replace",
    "import-replacement": "replace",
    import: "import",
};

interface KindInfo {
    /** How the comment names the kind: `Authentik group`. */
    readonly label: string;
    /** Holds data or identity that a replacement or deletion loses: why it is warned about. */
    readonly loses?: string;
}

const KINDS: Readonly<Record<string, KindInfo>> = {
    "postgresql:index/database:Database": { label: "PostgreSQL database", loses: "its tables and rows" },
    "postgresql:index/role:Role": { label: "PostgreSQL role", loses: "the objects it owns and its grants" },
    "postgresql:index/grant:Grant": { label: "PostgreSQL grant" },
    "postgresql:index/defaultPrivileges:DefaultPrivileges": { label: "PostgreSQL default privileges" },
    "pulumi:providers:postgresql": { label: "PostgreSQL connection" },
    "pulumi:providers:pulumi-nodejs": { label: "provider of the Authentik and Gatehouse resources" },
    [RANDOM_PASSWORD]: { label: "generated secret" },
    "pulumi-nodejs:dynamic/authentik:OAuth2Provider": { label: "Authentik OAuth2 provider", loses: "the tokens it issued and users' consents" },
    "pulumi-nodejs:dynamic/authentik:Application": { label: "Authentik application", loses: "its pk, so every group binding on it, and users' consents" },
    "pulumi-nodejs:dynamic/authentik:Group": { label: "Authentik group", loses: "its members (users keep their accounts) and anything bound to it" },
    "pulumi-nodejs:dynamic/authentik:User": { label: "Authentik user", loses: "the account: sessions, tokens, consents, enrolled authenticators" },
    "pulumi-nodejs:dynamic/authentik:PolicyBinding": { label: "Authentik group binding", loses: "its group's access to the application" },
    "pulumi-nodejs:dynamic/authentik:ScopeMapping": { label: "Authentik scope mapping" },
    "pulumi-nodejs:dynamic/authentik:Brand": { label: "Authentik brand" },
    "pulumi-nodejs:dynamic/authentik:MediaFile": { label: "Authentik media file" },
    "pulumi-nodejs:dynamic/gatehouse:EnvFile": { label: ".env file" },
    "pulumi-nodejs:dynamic/gatehouse:StackGuard": { label: "stack guard" },
    "pulumi-nodejs:dynamic/gatehouse:StackIdentity": { label: "stack identity" },
};

export function kindLabel(type: string): string {
    return KINDS[type]?.label ?? type.split(":").pop() ?? type;
}

export function isStateful(type: string): boolean {
    return KINDS[type]?.loses !== undefined;
}

/** The name a reviewer knows the resource by, else the last segment of its URN. */
export function displayName(change: Pick<Change, "urn">, names: Names): string {
    return maskText(names.byUrn(change.urn) ?? urnParts(change.urn).name);
}

/** Order of sections: what loses data first, then what changes, then what is new. */
const ACTION_ORDER: Readonly<Record<Action, number>> = { delete: 0, replace: 1, update: 2, import: 3, create: 4 };

/** The custom resources the preview changes, each once, in review order. */
export function changesOf(preview: Preview): Change[] {
    const byUrn = new Map<string, Change>();
    for (const step of preview.steps) {
        const action = ACTIONS[step.op];
        const state = step.newState ?? step.oldState;
        if (action === undefined || state === undefined || state.custom === false || state.type.startsWith("pulumi:pulumi:")) continue;
        const previous = byUrn.get(step.urn);
        // Replacement steps of one resource fold into one replace, keeping the old and the new state.
        const old = previous?.old ?? step.oldState;
        const next = previous?.new ?? (step.op === "delete-replaced" ? undefined : step.newState);
        const merged: Change = { urn: step.urn, type: state.type, action: previous !== undefined ? "replace" : action, ...(old && { old }), ...(next && { new: next }), step: previous?.step ?? step };
        byUrn.set(step.urn, merged);
    }
    const rank = (c: Change) => ACTION_ORDER[c.action] - (isStateful(c.type) && (c.action === "delete" || c.action === "replace") ? 10 : 0);
    return [...byUrn.values()].sort((a, b) => rank(a) - rank(b) || kindLabel(a.type).localeCompare(kindLabel(b.type)) || a.urn.localeCompare(b.urn));
}

export type WarningCategory = "rotation" | "replace" | "delete" | "protected";

export interface Warning {
    readonly category: WarningCategory;
    readonly kind: string;
    readonly name: string;
    /** One more clause: what follows a rotation, what a kind loses, that a deleted object is kept in place. */
    readonly detail?: string;
}

/** Resources changing in this preview that take a value from `urn` (a rotated secret's consumers). */
function consumersOf(urn: string, changes: readonly Change[], names: Names): string[] {
    return changes
        .filter((c) => c.urn !== urn && Object.values(c.new?.propertyDependencies ?? {}).some((deps) => deps.includes(urn)))
        .map((c) => `${kindLabel(c.type)} \`${displayName(c, names)}\``);
}

/** Everything the top of the comment warns about, in order: rotations, stateful replacements and deletions, protection. */
export function warningsOf(changes: readonly Change[], names: Names): Warning[] {
    const warnings: Warning[] = [];
    for (const change of changes) {
        if (change.type === RANDOM_PASSWORD && change.action === "replace") {
            const name = rotationName(change.urn) ?? displayName(change, names);
            const consumers = consumersOf(change.urn, changes, names);
            const step = AUTHENTIK_RUNTIME_SECRETS[name as RotatableSecret];
            const follows = consumers.length > 0 ? `the new value goes to ${consumers.join(", ")} in the same update` : "nothing in this preview takes the new value";
            warnings.push({ category: "rotation", kind: "secret", name, detail: step !== undefined ? `${follows}; then ${step}` : follows });
        }
    }
    for (const change of changes) {
        if (!isStateful(change.type) || (change.action !== "replace" && change.action !== "delete")) continue;
        const kept = change.action === "delete" && change.old?.retainOnDelete === true;
        const loses = KINDS[change.type]!.loses!;
        warnings.push({
            category: change.action,
            kind: kindLabel(change.type),
            name: displayName(change, names),
            detail: kept ? "removed from the stack but left in place (retainOnDelete)" : change.action === "replace" ? `deleted and created anew: loses ${loses}` : `loses ${loses}`,
        });
    }
    for (const change of changes) {
        if (change.old?.protect === true || change.new?.protect === true) {
            warnings.push({ category: "protected", kind: kindLabel(change.type), name: displayName(change, names), detail: `protected, and this preview would ${change.action} it` });
        }
    }
    return warnings;
}
