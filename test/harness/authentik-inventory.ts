/**
 * Everything of the kinds Gatehouse manages in one Authentik, field by field, with every reference (pk) replaced by
 * the referenced object's natural key, so two instances made by different routes (Pulumi's API calls, a blueprint
 * import) compare equal exactly when they hold the same objects. Per-instance values (pks, timestamps, uids) are left
 * out.
 */
type Row = Record<string, unknown>;

async function all(base: string, token: string, path: string): Promise<Row[]> {
    const rows: Row[] = [];
    for (let page = 1; page > 0; ) {
        const response = await fetch(`${base}/api/v3/${path}${path.includes("?") ? "&" : "?"}page_size=100&page=${page}`, { headers: { Authorization: `Bearer ${token}` } });
        if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
        const body = (await response.json()) as { results: Row[]; pagination: { next: number } };
        rows.push(...body.results);
        page = body.pagination.next;
    }
    return rows;
}

const byKey = (rows: Row[], key: string) => [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));

export async function authentikInventory(base: string, token: string): Promise<Record<string, Row[]>> {
    const [groups, users, applications, providers, mappings, bindings, brands, flows, keys] = await Promise.all(
        ["core/groups/?include_users=false", "core/users/", "core/applications/", "providers/oauth2/", "propertymappings/provider/scope/", "policies/bindings/", "core/brands/", "flows/instances/", "crypto/certificatekeypairs/"].map((p) => all(base, token, p)),
    );
    const name = (rows: Row[], pkField = "pk", field = "name") => (pk: unknown) => (pk === null || pk === undefined ? null : (rows.find((r) => String(r[pkField]) === String(pk))?.[field] ?? `unknown:${String(pk)}`));
    const groupName = name(groups!);
    const flowSlug = name(flows!, "pk", "slug");
    const mappingName = name(mappings!);
    const providerName = name(providers!);
    const appOrFlow = (pk: unknown) => applications!.find((a) => a.pk === pk)?.slug ?? flows!.find((f) => f.pk === pk)?.slug ?? `unknown:${String(pk)}`;
    return {
        groups: byKey(groups!, "name").map((g) => ({ name: g.name, is_superuser: g.is_superuser, parents: ((g.parents as string[]) ?? []).map(groupName).sort(), attributes: g.attributes })),
        users: byKey(users!, "username").map((u) => ({
            username: u.username,
            name: u.name,
            email: u.email,
            path: u.path,
            type: u.type,
            is_active: u.is_active,
            groups: ((u.groups as string[]) ?? []).map(groupName).sort(),
            attributes: u.attributes,
        })),
        applications: byKey(applications!, "slug").map((a) => ({ slug: a.slug, name: a.name, provider: providerName(a.provider), meta_launch_url: a.meta_launch_url, policy_engine_mode: a.policy_engine_mode, group: a.group })),
        providers: byKey(providers!, "name").map((p) => ({
            name: p.name,
            client_type: p.client_type,
            client_id: p.client_id,
            client_secret: p.client_secret,
            redirect_uris: p.redirect_uris,
            grant_types: p.grant_types,
            authorization_flow: flowSlug(p.authorization_flow),
            invalidation_flow: flowSlug(p.invalidation_flow),
            signing_key: name(keys!)(p.signing_key),
            property_mappings: ((p.property_mappings as string[]) ?? []).map(mappingName).sort(),
            access_code_validity: p.access_code_validity,
            access_token_validity: p.access_token_validity,
            refresh_token_validity: p.refresh_token_validity,
            sub_mode: p.sub_mode,
            include_claims_in_id_token: p.include_claims_in_id_token,
            issuer_mode: p.issuer_mode,
        })),
        scopeMappings: byKey(mappings!, "name").map((m) => ({ name: m.name, scope_name: m.scope_name, expression: m.expression, description: m.description, managed: m.managed })),
        bindings: bindings!
            .map((b) => ({ target: appOrFlow(b.target), group: groupName(b.group), user: b.user, order: b.order, negate: b.negate, enabled: b.enabled, timeout: b.timeout, failure_result: b.failure_result }))
            .sort((a, b) => `${String(a.target)}/${String(a.order)}/${String(a.group)}`.localeCompare(`${String(b.target)}/${String(b.order)}/${String(b.group)}`)),
        brands: byKey(brands!, "domain").map((b) => ({
            domain: b.domain,
            default: b.default,
            branding_title: b.branding_title,
            branding_logo: b.branding_logo,
            branding_favicon: b.branding_favicon,
            branding_custom_css: b.branding_custom_css,
            attributes: b.attributes,
            flow_authentication: flowSlug(b.flow_authentication),
            flow_invalidation: flowSlug(b.flow_invalidation),
        })),
    };
}
