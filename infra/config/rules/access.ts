/** Who gets in: declared groups only; in qa and prod never everyone, nor anyone without login, nor test users. */
import { PRODUCTION_LIKE, TEST_USER_ENVIRONMENTS, type Environment } from "../constants";
import { groupNames, roleOf, validGroupRefs } from "../groups";
import { at, listAt, stringAt, stringsAt, type Issue } from "./read";

/** The group prefix as deriveNames makes it, from a config that may be only partly valid. */
export function groupPrefixOf(cfg: unknown, environment: Environment | undefined): string | undefined {
    const app = stringAt(cfg, "app", "name");
    return stringAt(cfg, "authentik", "groups", "prefix") ?? (app === undefined || environment === undefined ? undefined : environment === "prod" ? app : `${app}-${environment}`);
}

/** `access` names groups this stack declares; `everyone` (no binding: every Authentik user gets in) is not for qa/prod. */
export function accessRules(cfg: unknown, environment: Environment | undefined, issue: Issue): void {
    const access = at(cfg, "authentik", "access");
    if (access === "everyone") {
        if (environment !== undefined && PRODUCTION_LIKE.includes(environment)) {
            issue(["authentik", "access"], `everyone lets every user of the Authentik instance open the app; refused in ${environment}`);
        }
        return;
    }
    const prefix = groupPrefixOf(cfg, environment);
    if (prefix === undefined || !Array.isArray(access)) return;
    const names = groupNames(prefix, stringsAt(cfg, "authentik", "groups", "orgs"));
    access.forEach((ref, i) => {
        if (typeof ref === "string" && ref !== "" && roleOf(ref, names) === undefined) {
            issue(["authentik", "access", i], `"${ref}" is not a group of this stack; expected one of: ${validGroupRefs(names)}`);
        }
    });
}

export function testUserRules(cfg: unknown, environment: Environment | undefined, issue: Issue): void {
    if (environment !== undefined && listAt(cfg, "authentik", "testUsers").length > 0 && !TEST_USER_ENVIRONMENTS.includes(environment)) {
        issue(["authentik", "testUsers"], `test users are refused in ${environment}`);
    }
}

/** POLICY_NO_AUTH_DEFAULT=allow_all: "anyone with network access can act as admin; use only for dev or demo". */
export function noAuthRules(cfg: unknown, environment: Environment | undefined, issue: Issue): void {
    if (environment !== undefined && PRODUCTION_LIKE.includes(environment) && at(cfg, "app", "noAuthPolicy") === "allow_all") {
        issue(["app", "noAuthPolicy"], `allow_all lets anyone act as admin; refused in ${environment}`);
    }
}
