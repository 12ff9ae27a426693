/** OAuth2 grants and token lifetimes in qa and prod. */
import { DEFAULT_GRANT_TYPES, DEFAULT_VALIDITY_CAPS, PRODUCTION_LIKE, UNSAFE_GRANT_TYPES, type Environment, type GrantType } from "../constants";
import { durationSeconds } from "../duration";
import { listAt, stringAt, type Issue } from "./read";

/**
 * Only the browser grants (authorization code, refresh token) unless `allowGrants` lists another with a reason;
 * the implicit and password grants skip the code's protections and cannot be allowed at all.
 */
export function grantRules(cfg: unknown, environment: Environment | undefined, issue: Issue): void {
    if (environment === undefined || !PRODUCTION_LIKE.includes(environment)) return;
    const allowed = new Set(listAt(cfg, "authentik", "oidc", "allowGrants").map((entry) => stringAt(entry, "grant")));
    listAt(cfg, "authentik", "oidc", "grantTypes").forEach((grant, i) => {
        if (typeof grant !== "string") return;
        if (UNSAFE_GRANT_TYPES.includes(grant as GrantType)) {
            issue(["authentik", "oidc", "grantTypes", i], `the ${grant} grant hands out tokens without the authorization code's protections; refused in ${environment}`);
        } else if (!DEFAULT_GRANT_TYPES.includes(grant as GrantType) && !allowed.has(grant)) {
            issue(["authentik", "oidc", "grantTypes", i], `the ${grant} grant is refused in ${environment} unless authentik.oidc.allowGrants lists it with a reason`);
        }
    });
    listAt(cfg, "authentik", "oidc", "allowGrants").forEach((entry, i) => {
        const grant = stringAt(entry, "grant");
        if (grant !== undefined && UNSAFE_GRANT_TYPES.includes(grant as GrantType)) {
            issue(["authentik", "oidc", "allowGrants", i, "grant"], `the ${grant} grant cannot be allowed in ${environment}: it hands out tokens without the authorization code's protections`);
        }
    });
}

/** Access and refresh tokens live no longer than the caps (`validityCaps`, default 1 hour and 30 days). */
export function validityRules(cfg: unknown, environment: Environment | undefined, issue: Issue): void {
    if (environment === undefined || !PRODUCTION_LIKE.includes(environment)) return;
    const caps = [
        ["accessTokenValidity", "accessToken", "access token"],
        ["refreshTokenValidity", "refreshToken", "refresh token"],
    ] as const;
    for (const [setting, cap, what] of caps) {
        const given = durationSeconds(stringAt(cfg, "authentik", "oidc", setting) ?? "");
        const limit = durationSeconds(stringAt(cfg, "authentik", "oidc", "validityCaps", cap) ?? DEFAULT_VALIDITY_CAPS[cap]);
        if (given !== undefined && limit !== undefined && given > limit) {
            issue(["authentik", "oidc", setting], `longer than the ${what} cap in ${environment} (authentik.oidc.validityCaps.${cap}, default ${DEFAULT_VALIDITY_CAPS[cap]})`);
        }
    }
}
