import { RANDOM_PASSWORD, type Change } from "./classify";
import { MASK, maskText, showValue, UNKNOWN_TEXT } from "./mask";
import { code } from "./markdown";
import { UNKNOWN, type JsonValue } from "./model";
import { groupName, listNames, rotationName, type Names } from "./names";
import { inputChanges, listChange, secretChanges, type PropertyChange } from "./property-diff";

/**
 * One resource's changes in the words an identity reviewer reads: "redirect URI added: …", "groups +acme-editors",
 * "password rotated". Pks are named from the same preview; every value is masked; anything without words of its own
 * falls back to `<property>: old → new`.
 */

type Words = (change: PropertyChange, context: Context) => string[] | undefined;

interface Context {
    readonly item: Change;
    readonly names: Names;
}

const AUTHENTIK = "pulumi-nodejs:dynamic/authentik:";

const v = (value: JsonValue | undefined, key = "") => code(showValue(value, key));
const arrow = (c: PropertyChange, show: (value: JsonValue | undefined) => string = (x) => v(x, c.key)) => `${show(c.old)} → ${show(c.new)}`;

/** `connectionLimit` → `connection limit`. */
function label(key: string): string {
    return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
}

/** Names for the pks in a list property, old and new, and the +/− between them. */
function namedList(c: PropertyChange, ctx: Context, what: string): string[] {
    const before = listNames(ctx.item.old, c.key, ctx.names);
    const after = listNames(ctx.item.new, c.key, ctx.names);
    const name = (n: JsonValue) => code(maskText(String(n)));
    if (ctx.item.action === "create" || ctx.item.old === undefined) return [`${what}: ${after.map(name).join(", ") || "none"}`];
    const { added, removed } = listChange(before, after);
    if (added.length === 0 && removed.length === 0) return [];
    return [`${what} ${[...added.map((n) => `+${name(n)}`), ...removed.map((n) => `−${name(n)}`)].join(" ")}`];
}

/** One line per URL added or removed. */
const urls =
    (what: string): Words =>
    (c, ctx) => {
        if (ctx.item.action === "create") return [`${what}s: ${(Array.isArray(c.new) ? c.new : []).map((x) => v(x)).join(", ")}`];
        const { added, removed } = listChange(c.old, c.new);
        return [...added.map((u) => `${what} added: ${v(u)}`), ...removed.map((u) => `${what} removed: ${v(u)}`)];
    };

const list =
    (what: string): Words =>
    (c) =>
        [`${what}: ${(Array.isArray(c.old) ? c.old : []).join(", ") || "none"} → ${(Array.isArray(c.new) ? c.new : []).join(", ") || "none"}`];

const byName =
    (what: string): Words =>
    (c, ctx) =>
        [`${what}: ${arrow(c, (x) => (x === UNKNOWN ? UNKNOWN_TEXT : code(maskText(ctx.names.byPk(x) ?? showValue(x)))))}`];

const renamed: Words = (c) => [`renamed: ${arrow(c)}`];

/** A changed secret: which rotation it comes from, when a RandomPassword being replaced feeds it. */
function secretWords(what: string): Words {
    return (c, ctx) => {
        if (ctx.item.action === "create") return [`${what}: ${MASK}`];
        const rotated = (ctx.item.new?.propertyDependencies?.[c.key] ?? []).map(rotationName).find((name) => name !== undefined);
        return [rotated !== undefined ? `${what} rotated (${code(rotated)})` : `${what} changes (${MASK})`];
    };
}

const WORDS: Readonly<Record<string, Readonly<Record<string, Words>>>> = {
    OAuth2Provider: {
        redirectUris: urls("redirect URI"),
        logoutRedirectUris: urls("logout redirect URI"),
        grantTypes: list("grant types"),
        propertyMappings: (c, ctx) => namedList(c, ctx, "scope mappings"),
        clientSecret: secretWords("client secret"),
        clientId: (c) => [`client id: ${arrow(c)} (the app's OIDC_CLIENT_ID)`],
        authorizationFlow: byName("authorization flow"),
        invalidationFlow: byName("invalidation flow"),
        signingKey: byName("signing key"),
        subMode: (c) => [`\`sub\` claim: ${arrow(c)}`],
        name: renamed,
    },
    Application: {
        slug: (c) => [`slug: ${arrow(c)} (the issuer URL changes with it)`],
        provider: byName("provider"),
        metaLaunchUrl: (c) => [`launch URL: ${arrow(c)}`],
        name: (c) => [`display name: ${arrow(c)}`],
    },
    Group: {
        name: renamed,
        isSuperuser: (c) => [`Authentik superuser: ${arrow(c)}${c.new === true ? " (members administer Authentik)" : ""}`],
        parents: (c, ctx) => namedList(c, ctx, "parents"),
    },
    User: {
        groups: (c, ctx) => namedList(c, ctx, "groups"),
        password: secretWords("password"),
        isActive: (c) => [c.new === false ? "deactivated" : c.old === false ? "activated" : `active: ${arrow(c)}`],
    },
    PolicyBinding: {
        group: byName("group"),
        target: byName("target"),
    },
    ScopeMapping: {
        expression: (_c, ctx) => [ctx.item.action === "create" ? "expression: see the property diff" : "expression changed (see the property diff)"],
        scopeName: (c) => [`scope: ${arrow(c)}`],
        name: renamed,
    },
    Brand: { customCss: () => ["custom CSS changed"] },
    "postgresql:index/role:Role": {
        password: secretWords("password"),
        name: renamed,
        bypassRowLevelSecurity: (c) => [`bypasses row level security: ${arrow(c)}`],
    },
    "postgresql:index/database:Database": { name: renamed, owner: (c) => [`owner: ${arrow(c)}`] },
    [RANDOM_PASSWORD]: { keepers: (c) => [`rotation counter: ${arrow(c, (x) => code(String((x as { rotation?: JsonValue } | undefined)?.rotation ?? "none")))}`] },
    "pulumi-nodejs:dynamic/gatehouse:EnvFile": { contents: () => ["contents change (secret)"] },
    "pulumi-nodejs:dynamic/gatehouse:StackGuard": { protect: (c) => [`destroy refused while protected: ${arrow(c)}`] },
};

/** Keys a create lists in words; the rest is in the property diff. */
const CREATE_KEYS: Readonly<Record<string, readonly string[]>> = {
    OAuth2Provider: ["redirectUris", "logoutRedirectUris", "grantTypes", "propertyMappings", "clientSecret"],
    User: ["groups"],
    Group: ["isSuperuser", "parents"],
    "postgresql:index/database:Database": ["owner"],
};

function generic(c: PropertyChange, ctx: Context): string[] {
    const what = c.key === "url" && ctx.item.type.startsWith(AUTHENTIK) ? "Authentik URL" : label(c.key);
    if (secretChanges(c)) return [`${what} changes (${MASK})`];
    if (Array.isArray(c.old) || Array.isArray(c.new)) {
        const { added, removed } = listChange(c.old, c.new);
        return [`${what} ${[...added.map((x) => `+${v(x)}`), ...removed.map((x) => `−${v(x)}`)].join(" ") || "reordered"}`];
    }
    return [`${what}: ${arrow(c)}`];
}

/** The words for one resource (may be empty: the header says it all). */
export function describe(item: Change, names: Names): string[] {
    const context: Context = { item, names };
    const kind = item.type.startsWith(AUTHENTIK) ? item.type.slice(AUTHENTIK.length) : item.type;
    const words = WORDS[kind] ?? {};
    if (kind === "PolicyBinding" && item.action !== "update") {
        const group = code(groupName((item.new ?? item.old)!, "group", names) ?? "(unknown group)");
        if (item.action === "create") return [`group binding added: ${group}`];
        if (item.action === "delete") return [`group binding removed: ${group}`];
    }
    if (item.action === "delete") return [];
    const changes = inputChanges(item.old?.inputs, item.new?.inputs);
    const lines: string[] = [];
    if (item.action === "replace") {
        const reasons = (item.step.replaceReasons ?? []).filter((r) => r !== "id");
        lines.push(reasons.length > 0 ? `replaced because ${reasons.map(code).join(", ")} cannot change in place` : "replaced on request (`pulumi up --replace`)");
    }
    if (item.action === "create") {
        if (item.type === RANDOM_PASSWORD) return [`generated: ${showValue(item.new?.inputs?.length)} characters`];
        for (const key of CREATE_KEYS[kind] ?? []) {
            const c = changes.find((x) => x.key === key);
            if (c !== undefined && words[key] !== undefined) lines.push(...(words[key]!(c, context) ?? []));
            else if (c !== undefined && c.new !== false && !(Array.isArray(c.new) && c.new.length === 0)) lines.push(...generic(c, context));
        }
        return lines;
    }
    for (const c of changes) lines.push(...(words[c.key]?.(c, context) ?? generic(c, context)));
    return lines;
}
