/**
 * Rules that cross settings or depend on the environment, run by the schema's superRefine. They run even when other
 * settings are invalid (so one message lists every bad key), which is why they read the config defensively.
 */
import type { z } from "zod";
import { ENVIRONMENTS, PRODUCTION_LIKE, TEST_USER_ENVIRONMENTS, UNSAFE_GRANT_TYPES, type Environment, type GrantType } from "./constants";
import { formatPath } from "./format";
import { groupNames, roleOf, validGroupRefs } from "./groups";
import { isSecretAt, presentSecretSettings } from "./secret-paths";

/** Reads a setting from a config that may be only partly valid: anything of the wrong shape reads as undefined. */
function at(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) current = current !== null && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined;
    return current;
}
const stringAt = (value: unknown, ...path: string[]) => (typeof at(value, ...path) === "string" ? (at(value, ...path) as string) : undefined);
const listAt = (value: unknown, ...path: string[]) => (Array.isArray(at(value, ...path)) ? (at(value, ...path) as unknown[]) : []);

/** Production must be reachable only over TLS and carry no test fixtures; see also the OIDC and access rules. */
export function environmentRules(cfg: unknown, refine: z.RefinementCtx): void {
    const issue = (path: (string | number)[], message: string) => refine.addIssue({ code: "custom", path, message });
    const given = stringAt(cfg, "environment");
    // An invalid environment is reported by the schema itself; no rule can apply to it.
    const environment = given !== undefined && (ENVIRONMENTS as readonly string[]).includes(given) ? (given as Environment) : undefined;
    const redirectUris = listAt(cfg, "app", "redirectUris").filter((u): u is string => typeof u === "string");
    redirectUris.forEach((uri, i) => {
        if (uri.includes("*")) issue(["app", "redirectUris", i], "wildcards are not allowed; list each redirect URI exactly");
        if (URL.canParse(uri) && new URL(uri).hash !== "") issue(["app", "redirectUris", i], "a redirect URI must not contain a fragment");
    });
    if (environment === "prod") {
        const https = (path: string[]) => {
            const url = stringAt(cfg, ...path);
            if (url !== undefined && URL.canParse(url) && !url.startsWith("https://")) issue(path, "expected an https URL in prod");
        };
        https(["app", "publicUrl"]);
        redirectUris.forEach((uri, i) => {
            if (URL.canParse(uri) && !uri.startsWith("https://")) issue(["app", "redirectUris", i], "expected an https URL in prod");
        });
        https(["authentik", "url"]);
        listAt(cfg, "app", "logoutRedirectUris").forEach((uri, i) => {
            if (typeof uri === "string" && URL.canParse(uri) && !uri.startsWith("https://")) issue(["app", "logoutRedirectUris", i], "expected an https URL in prod");
        });
    }
    oidcRules(cfg, environment, issue);
    accessRules(cfg, environment, issue);
    if (environment !== undefined && listAt(cfg, "authentik", "testUsers").length > 0 && !(TEST_USER_ENVIRONMENTS as readonly string[]).includes(environment)) {
        issue(["authentik", "testUsers"], `test users are refused in ${environment}`);
    }
    if (environment !== "prod") return;
    if (at(cfg, "app", "noAuthPolicy") === "allow_all") issue(["app", "noAuthPolicy"], "allow_all lets anyone act as admin; refused in prod");
    if (at(cfg, "postgres", "sslMode") === "disable") issue(["postgres", "sslMode"], "TLS to PostgreSQL is required in prod (require, verify-ca or verify-full)");
    if (at(cfg, "docker", "enabled") === true) issue(["docker", "enabled"], "the local docker runtime is for dev and test only");
}

type Issue = (path: (string | number)[], message: string) => void;

/** Grants that skip the authorization code's protections are for throwaway environments only. */
function oidcRules(cfg: unknown, environment: Environment | undefined, issue: Issue): void {
    if (environment === undefined || !PRODUCTION_LIKE.includes(environment)) return;
    listAt(cfg, "authentik", "oidc", "grantTypes").forEach((grant, i) => {
        if (UNSAFE_GRANT_TYPES.includes(grant as GrantType)) {
            issue(["authentik", "oidc", "grantTypes", i], `the ${String(grant)} grant hands out tokens without the authorization code's protections; refused in ${environment}`);
        }
    });
}

/** `access` names groups this stack declares; `everyone` (no binding: every Authentik user gets in) is not for prod. */
function accessRules(cfg: unknown, environment: Environment | undefined, issue: Issue): void {
    const access = at(cfg, "authentik", "access");
    if (access === "everyone") {
        if (environment === "prod") issue(["authentik", "access"], "everyone lets every user of the Authentik instance open the app; refused in prod");
        return;
    }
    const app = stringAt(cfg, "app", "name");
    const prefix = stringAt(cfg, "authentik", "groups", "prefix") ?? (app === undefined || environment === undefined ? undefined : environment === "prod" ? app : `${app}-${environment}`);
    if (prefix === undefined || !Array.isArray(access)) return;
    const orgs = listAt(cfg, "authentik", "groups", "orgs").filter((o): o is string => typeof o === "string");
    const names = groupNames(prefix, orgs);
    access.forEach((ref, i) => {
        if (typeof ref === "string" && ref !== "" && roleOf(ref, names) === undefined) {
            issue(["authentik", "access", i], `"${ref}" is not a group of this stack; expected one of: ${validGroupRefs(names)}`);
        }
    });
}

/** Each secret setting must have been set with `--secret`, at its own path: the message says exactly how. */
export function secretRules(cfg: unknown, secretPaths: ReadonlySet<string>, refine: z.RefinementCtx): void {
    for (const path of presentSecretSettings(cfg)) {
        if (!isSecretAt(path, secretPaths)) {
            refine.addIssue({ code: "custom", path, message: `must be set as a secret: pulumi config set --secret --path ${formatPath(path)} <value>` });
        }
    }
}
