/**
 * Set-up steps for the sign-in tests, done through the emulator's REST API as a client would: users with a
 * password, OAuth2 providers with scope mappings, applications.
 */
import { flowPk, type AnyJson, type RawClient } from "../../testing";

export const REDIRECT_URI = "https://app.example.com/oauth/callback";

export async function createUser(
    api: RawClient,
    options: { username: string; password: string; email?: string; name?: string; groups?: string[] },
): Promise<AnyJson> {
    const res = await api.post("/core/users/", {
        username: options.username,
        name: options.name ?? options.username,
        email: options.email ?? `${options.username}@example.com`,
        ...(options.groups ? { groups: options.groups } : {}),
    });
    if (res.status !== 201) throw new Error(`create user: ${res.status} ${res.text}`);
    const set = await api.post(`/core/users/${res.body.pk}/set_password/`, { password: options.password });
    if (set.status !== 204) throw new Error(`set password: ${set.status} ${set.text}`);
    return res.body;
}

export async function scopePks(api: RawClient, ...names: string[]): Promise<string[]> {
    const all = (await api.get("/propertymappings/provider/scope/?page_size=100")).body.results as Array<{ pk: string; scope_name: string }>;
    return names.map((n) => {
        const found = all.find((m) => m.scope_name === n);
        if (!found) throw new Error(`no scope mapping ${n}`);
        return found.pk;
    });
}

export async function selfSignedKey(api: RawClient): Promise<string> {
    const res = await api.get(`/crypto/certificatekeypairs/?name=${encodeURIComponent("authentik Self-signed Certificate")}`);
    return res.body.results[0].pk as string;
}

export interface AppOptions {
    readonly slug?: string;
    readonly authorizationFlow?: string;
    readonly scopes?: string[];
    readonly provider?: Record<string, unknown>;
}

/** An OAuth2 provider (signing key, code + refresh grants, openid/email/profile/offline_access) and its application */
export async function createApp(api: RawClient, options: AppOptions = {}): Promise<{ provider: AnyJson; app: AnyJson }> {
    const slug = options.slug ?? "portal";
    const provider = await api.post("/providers/oauth2/", {
        name: `${slug}-provider`,
        authorization_flow: await flowPk(api, options.authorizationFlow ?? "default-provider-authorization-implicit-consent"),
        invalidation_flow: await flowPk(api, "default-provider-invalidation-flow"),
        redirect_uris: [{ matching_mode: "strict", url: REDIRECT_URI }],
        grant_types: ["authorization_code", "refresh_token"],
        signing_key: await selfSignedKey(api),
        property_mappings: await scopePks(api, ...(options.scopes ?? ["openid", "email", "profile", "offline_access"])),
        ...options.provider,
    });
    if (provider.status !== 201) throw new Error(`create provider: ${provider.status} ${provider.text}`);
    const app = await api.post("/core/applications/", { name: `App ${slug}`, slug, provider: provider.body.pk });
    if (app.status !== 201) throw new Error(`create application: ${app.status} ${app.text}`);
    return { provider: provider.body, app: app.body };
}

/** An authorize URL for the provider (code flow, query response mode) */
export function authorizeUrl(provider: AnyJson, params: Record<string, string> = {}): string {
    const query = new URLSearchParams({
        response_type: "code",
        client_id: provider.client_id,
        redirect_uri: REDIRECT_URI,
        scope: "openid email profile",
        state: "st4te",
        ...params,
    });
    return `/application/o/authorize/?${query.toString()}`;
}
