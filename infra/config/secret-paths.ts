/**
 * Which settings were set with `--secret`, leaf by leaf. Pulumi tells a program only whether a whole top-level key
 * holds a secret, so a plain `authentik.testUserPassword` beside a secret `authentik.token` would pass unnoticed;
 * the stack file itself says which leaves are `{secure: …}`.
 */
import { formatPath } from "./format";

/** The settings Gatehouse accepts only as secrets; `*` stands for every index of a list. */
export const SECRET_SETTINGS: readonly (readonly string[])[] = [
    ["postgres", "adminPassword"],
    ["authentik", "token"],
    ["authentik", "testUserPassword"],
    ["authentik", "testUsers", "*", "password"],
];

/** `--path` names of the `{secure: …}` nodes among a stack file's settings of `project` (namespace dropped). */
export function securePaths(config: Readonly<Record<string, unknown>>, project: string): Set<string> {
    const found = new Set<string>();
    const walk = (path: (string | number)[], value: unknown): void => {
        if (value === null || typeof value !== "object") return;
        if ("secure" in value) {
            found.add(formatPath(path));
            return;
        }
        if (Array.isArray(value)) value.forEach((item, i) => walk([...path, i], item));
        else for (const [key, item] of Object.entries(value)) walk([...path, key], item);
    };
    for (const [fullKey, value] of Object.entries(config)) if (fullKey.startsWith(`${project}:`)) walk([fullKey.slice(project.length + 1)], value);
    return found;
}

/** Every node path of a value: what a whole secret top-level key covers when no stack file says more. */
export function allPaths(key: string, value: unknown): string[] {
    const paths: string[] = [];
    const walk = (path: (string | number)[], item: unknown): void => {
        paths.push(formatPath(path));
        if (item === null || typeof item !== "object") return;
        if (Array.isArray(item)) item.forEach((sub, i) => walk([...path, i], sub));
        else for (const [k, sub] of Object.entries(item)) walk([...path, k], sub);
    };
    walk([key], value);
    return paths;
}

/** Whether the setting at `path` is secret: it, or a node above it, was set with `--secret`. */
export function isSecretAt(path: readonly (string | number)[], secretPaths: ReadonlySet<string>): boolean {
    for (let end = path.length; end > 0; end--) if (secretPaths.has(formatPath(path.slice(0, end)))) return true;
    return false;
}

/** The concrete paths of the secret settings present in `cfg` (list patterns expanded). */
export function presentSecretSettings(cfg: unknown): (string | number)[][] {
    const out: (string | number)[][] = [];
    const expand = (value: unknown, pattern: readonly string[], path: (string | number)[]): void => {
        if (pattern.length === 0) {
            if (value !== undefined) out.push(path);
            return;
        }
        const [head, ...rest] = pattern as [string, ...string[]];
        if (value === null || typeof value !== "object") return;
        if (head === "*") {
            if (Array.isArray(value)) value.forEach((item, i) => expand(item, rest, [...path, i]));
            return;
        }
        expand((value as Record<string, unknown>)[head], rest, [...path, head]);
    };
    for (const pattern of SECRET_SETTINGS) expand(cfg, pattern, []);
    return out;
}
