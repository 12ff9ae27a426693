/** `adopt` takes existing Authentik objects over by name: in qa and prod the stack file names each one it means. */
import { PRODUCTION_LIKE, type Environment } from "../constants";
import { groupNames } from "../groups";
import { groupPrefixOf } from "./access";
import { at, listAt, stringAt, stringsAt, type Issue } from "./read";

/** Every object this stack declares in Authentik, as `adoptConfirm` names them (`group acme-admins`, …). */
export function adoptableObjects(cfg: unknown, environment: Environment | undefined): string[] | undefined {
    const app = stringAt(cfg, "app", "name");
    const prefix = groupPrefixOf(cfg, environment);
    if (app === undefined || environment === undefined || prefix === undefined) return undefined;
    const authentikName = environment === "prod" ? app : `${app}-${environment}`;
    const brandDomain = stringAt(cfg, "authentik", "brand", "domain") ?? (URL.canParse(stringAt(cfg, "authentik", "url") ?? "") ? new URL(stringAt(cfg, "authentik", "url")!).hostname : undefined);
    return [
        `application ${stringAt(cfg, "authentik", "oidc", "slug") ?? authentikName}`,
        `provider ${stringAt(cfg, "authentik", "oidc", "clientId") ?? authentikName}`,
        ...Object.values(groupNames(prefix, stringsAt(cfg, "authentik", "groups", "orgs"))).map((name) => `group ${name}`),
        ...(at(cfg, "authentik", "brand") !== undefined && brandDomain !== undefined ? [`brand ${brandDomain}`] : []),
        ...listAt(cfg, "authentik", "testUsers").flatMap((u) => (stringAt(u, "username") ? [`user ${stringAt(u, "username")}`] : [])),
    ];
}

export function adoptRules(cfg: unknown, environment: Environment | undefined, issue: Issue): void {
    if (environment === undefined || !PRODUCTION_LIKE.includes(environment) || at(cfg, "authentik", "adopt") !== true) return;
    const confirmed = stringsAt(cfg, "authentik", "adoptConfirm");
    if (confirmed.length === 0) {
        issue(["authentik", "adoptConfirm"], `adopt takes over existing Authentik objects by name; in ${environment} list each one to take over (e.g. "group <name>", "application <slug>")`);
        return;
    }
    const known = adoptableObjects(cfg, environment);
    if (known === undefined) return;
    confirmed.forEach((entry, i) => {
        if (!known.includes(entry)) issue(["authentik", "adoptConfirm", i], `names no object of this stack; expected one of: ${known.join(", ")}`);
    });
}
