/** Live checks of the Authentik side: what the stack declared is what the server holds, and nothing wider. */
import { PRODUCTION_LIKE } from "../../../../infra/config/constants";
import { groupNames } from "../../../../infra/config/groups";
import { accessRoles, issuerUrl, logoutRedirectUris, redirectUris } from "../../../../infra/authentik";
import type { StackConfig } from "../../../../infra/config/schema";
import { fail, na, pass, type AuditSubject, type Verdict } from "../types";
import { getJson, type AuthentikReader, type Json } from "./authentik-api";

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");
const list = (values: readonly string[]) => (values.length === 0 ? "none" : values.join(", "));

/** What the live Authentik checks share: the stack's provider, application and groups as the server has them. */
export class AuthentikFacts {
    private cache = new Map<string, Promise<unknown>>();
    constructor(
        readonly api: AuthentikReader,
        readonly subject: AuditSubject,
    ) {}

    private once<T>(key: string, load: () => Promise<T>): Promise<T> {
        if (!this.cache.has(key)) this.cache.set(key, load());
        return this.cache.get(key) as Promise<T>;
    }

    get config(): StackConfig {
        return this.subject.config;
    }

    provider(): Promise<Json | undefined> {
        const name = this.config.names.clientId;
        return this.once("provider", async () => (await this.api.list(`/providers/oauth2/?name=${encodeURIComponent(name)}`)).find((p) => p.name === name));
    }

    application(): Promise<Json | undefined> {
        return this.once("application", async () => (await this.api.list(`/core/applications/?slug=${encodeURIComponent(this.config.names.applicationSlug)}`)).find((a) => a.slug === this.config.names.applicationSlug));
    }

    /** The stack's groups by name (missing ones absent). */
    groups(): Promise<Map<string, Json>> {
        return this.once("groups", async () => {
            const names = Object.values(groupNames(this.config.names.groupPrefix, this.config.authentik.groups.orgs));
            const found = new Map<string, Json>();
            for (const name of names) {
                const group = (await this.api.list(`/core/groups/?name=${encodeURIComponent(name)}`)).find((g) => g.name === name);
                if (group) found.set(name, group);
            }
            return found;
        });
    }
}

const missing = (what: string) => fail(`${what} not found in Authentik (run pulumi up, or pulumi refresh to see the drift)`);

export async function providerGrants(facts: AuthentikFacts): Promise<Verdict> {
    const provider = await facts.provider();
    if (!provider) return missing(`provider ${facts.config.names.clientId}`);
    const declared = facts.config.authentik.oidc.grantTypes;
    const held = (provider.grant_types as string[] | undefined) ?? [];
    if (provider.client_type !== "confidential") return fail(`provider ${String(provider.name)} is ${String(provider.client_type)}, not confidential`);
    if (!sameSet(declared, held)) return fail(`provider ${String(provider.name)} allows ${list(held)}; declared: ${list(declared)}`);
    return pass(`confidential; grants ${list(held)} as declared`);
}

export async function redirectUrisCheck(facts: AuthentikFacts): Promise<Verdict> {
    const provider = await facts.provider();
    if (!provider) return missing(`provider ${facts.config.names.clientId}`);
    const entries = (provider.redirect_uris as { matching_mode: string; url: string; redirect_uri_type?: string }[] | undefined) ?? [];
    const loose = entries.filter((e) => e.matching_mode !== "strict");
    if (loose.length > 0) return fail(`${loose.length} redirect URI(s) matched by ${loose[0]!.matching_mode}, not strictly: ${loose.map((e) => e.url).join(", ")}`);
    const of = (type: string) => entries.filter((e) => (e.redirect_uri_type ?? "authorization") === type).map((e) => e.url);
    const problems: string[] = [];
    if (!sameSet(of("authorization"), redirectUris(facts.config))) problems.push(`authorization URIs ${list(of("authorization"))}, declared ${list(redirectUris(facts.config))}`);
    if (!sameSet(of("logout"), logoutRedirectUris(facts.config))) problems.push(`logout URIs ${list(of("logout"))}, declared ${list(logoutRedirectUris(facts.config))}`);
    return problems.length > 0 ? fail(problems.join("; ")) : pass(`${entries.length} strict URIs, exactly as declared`);
}

export async function signing(facts: AuthentikFacts): Promise<Verdict> {
    const provider = await facts.provider();
    if (!provider) return missing(`provider ${facts.config.names.clientId}`);
    if (!provider.signing_key) return fail(`provider ${String(provider.name)} has no signing key: Authentik signs its tokens HS256 with the client secret`);
    const issuer = issuerUrl(facts.config.authentik.url, facts.config.names.applicationSlug);
    const discovery = await getJson(`${issuer}.well-known/openid-configuration`);
    const algs = (discovery.id_token_signing_alg_values_supported as string[] | undefined) ?? [];
    return sameSet(algs, ["RS256"]) ? pass("signing key set; the issuer offers RS256 only") : fail(`the issuer offers ${list(algs)}; declared: RS256`);
}

export async function signingKeyUnshared(facts: AuthentikFacts): Promise<Verdict> {
    if (!PRODUCTION_LIKE.includes(facts.config.environment)) return na(`dev and test may share a key pair (this stack is ${facts.config.environment})`);
    const provider = await facts.provider();
    if (!provider?.signing_key) return na("the provider has no signing key (RA-04)");
    const sharing = (await facts.api.list("/providers/oauth2/")).filter((p) => p.signing_key === provider.signing_key && p.pk !== provider.pk).map((p) => String(p.name));
    return sharing.length > 0 ? fail(`the signing key pair is also used by provider(s) ${sharing.join(", ")}`) : pass("no other provider on this Authentik signs with its key pair");
}

export async function appBindings(facts: AuthentikFacts): Promise<Verdict> {
    const application = await facts.application();
    if (!application) return missing(`application ${facts.config.names.applicationSlug}`);
    const names = groupNames(facts.config.names.groupPrefix, facts.config.authentik.groups.orgs);
    const declared = accessRoles(facts.config).map((role) => names[role]!);
    const groups = await facts.groups();
    const byPk = new Map([...groups.entries()].map(([name, g]) => [String(g.pk), name]));
    const bindings = await facts.api.list(`/policies/bindings/?target=${String(application.pk)}`);
    const bound: string[] = [];
    const foreign: string[] = [];
    for (const b of bindings) {
        const name = typeof b.group === "string" ? byPk.get(b.group) : undefined;
        if (name !== undefined && declared.includes(name)) bound.push(name);
        else foreign.push(b.group ? `group ${String((b.group_obj as { name?: string } | null)?.name ?? b.group)}` : b.user ? `user ${String((b.user_obj as { username?: string } | null)?.username ?? b.user)}` : "a policy");
    }
    if (foreign.length > 0) return fail(`application ${String(application.slug)} is also bound to ${foreign.join(", ")}`);
    const unbound = declared.filter((n) => !bound.includes(n));
    if (unbound.length > 0) return fail(`declared groups not bound: ${unbound.join(", ")}`);
    return pass(declared.length === 0 ? "no bindings: everyone (allowed outside qa and prod)" : `bound to its ${declared.length} declared groups only`);
}

export async function groupsNotSuperuser(facts: AuthentikFacts): Promise<Verdict> {
    const groups = await facts.groups();
    const superusers = [...groups.values()].filter((g) => g.is_superuser === true).map((g) => String(g.name));
    return superusers.length > 0 ? fail(`superuser group(s): ${superusers.join(", ")}`) : pass(`none of its ${groups.size} groups is an Authentik superuser group`);
}

export async function testUsersAbsent(facts: AuthentikFacts): Promise<Verdict> {
    if (facts.config.environment !== "prod") return na(`checked in prod only (this stack is ${facts.config.environment})`);
    const mark = JSON.stringify({ "gatehouse/owner": `${facts.subject.project}/${facts.subject.stack}` });
    const seeded = (await facts.api.list(`/core/users/?attributes=${encodeURIComponent(mark)}`)).map((u) => String(u.username));
    return seeded.length > 0 ? fail(`user(s) seeded by this stack: ${seeded.join(", ")}`) : pass("no user carries this stack's seed mark");
}

export async function tokenPrivilege(facts: AuthentikFacts): Promise<Verdict> {
    if (!PRODUCTION_LIKE.includes(facts.config.environment)) return na(`a superuser token is allowed in ${facts.config.environment}`);
    const me = (await facts.api.get("/core/users/me/")).user as { username?: string; is_superuser?: boolean } | undefined;
    if (me?.is_superuser) return fail(`the token belongs to ${String(me.username)}, a superuser: give Gatehouse a token with only the permissions it needs (README)`);
    return pass(`the token belongs to ${String(me?.username)}, not a superuser`);
}
