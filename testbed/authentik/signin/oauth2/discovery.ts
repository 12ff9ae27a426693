/**
 * The unauthenticated OIDC endpoints of an application
 * (authentik/providers/oauth2/views/provider.py ProviderInfoView, views/jwks.py,
 * urls.py for the endpoint paths). Both answer Django's 404 for an unknown slug or an
 * application whose provider is not an OAuth2 provider.
 */
import { createHash, X509Certificate } from "node:crypto";
import type { Db, ProviderRecord } from "../../core/db";
import { claimsOf } from "../../kinds/scopeMappings";
import { signingAlgorithm } from "./keys";

export const OAUTH_MOUNT = "/application/o/";

export function issuerFor(provider: ProviderRecord, slug: string, origin: string): string {
    // OAuth2Provider.get_issuer: global → the root URL, per_provider → /application/o/<slug>/
    return provider.issuer_mode === "global" ? `${origin}/` : `${origin}${OAUTH_MOUNT}${slug}/`;
}

/** Looks up the OAuth2 provider behind an application slug, or undefined (→ 404). */
export function providerForSlug(db: Db, slug: string): ProviderRecord | undefined {
    const app = db.applicationBySlug(slug);
    if (!app || app.provider === null) return undefined;
    return db.providers.get(app.provider);
}

export function discoveryDocument(db: Db, provider: ProviderRecord, slug: string, origin: string): Record<string, unknown> {
    const mappings = provider.property_mappings
        .map((pk) => db.scopeMappings.get(pk))
        .filter((m) => m !== undefined);
    const scopes = mappings.map((m) => m.scope_name);
    if (!scopes.includes("openid")) scopes.push("openid");
    const claims = ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce"];
    for (const mapping of [...mappings].sort((a, b) => a.scope_name.localeCompare(b.scope_name))) {
        claims.push(...claimsOf(mapping.expression));
    }
    const base = `${origin}${OAUTH_MOUNT}`;
    return {
        issuer: issuerFor(provider, slug, origin),
        authorization_endpoint: `${base}authorize/`,
        token_endpoint: `${base}token/`,
        userinfo_endpoint: `${base}userinfo/`,
        end_session_endpoint: `${base}${slug}/end-session/`,
        introspection_endpoint: `${base}introspect/`,
        revocation_endpoint: `${base}revoke/`,
        device_authorization_endpoint: `${base}device/`,
        response_types_supported: ["code", "id_token", "id_token token", "code token", "code id_token", "code id_token token"],
        response_modes_supported: ["query", "fragment", "form_post"],
        jwks_uri: `${base}${slug}/jwks/`,
        // the provider's own grant_types, as 2026.8 answers (observed on a 2026.8.3 install)
        grant_types_supported: [...provider.grant_types],
        id_token_signing_alg_values_supported: [signingAlgorithm(db, provider)],
        subject_types_supported: ["public"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
        acr_values_supported: ["goauthentik.io/providers/oauth2/default"],
        scopes_supported: scopes,
        request_parameter_supported: false,
        claims_supported: claims,
        claims_parameter_supported: false,
        code_challenge_methods_supported: ["plain", "S256"],
    };
}

/** JWKS of the signing key (views/jwks.py); kid is md5 of the key data (CertificateKeyPair.kid). */
export function jwks(db: Db, provider: ProviderRecord): { keys: Array<Record<string, unknown>> } {
    const keys: Array<Record<string, unknown>> = [];
    for (const pk of [provider.signing_key, provider.encryption_key]) {
        if (!pk) continue;
        const cert = db.certificates.get(pk);
        if (!cert) continue;
        try {
            const x509 = new X509Certificate(cert.certificate_data);
            const jwk = x509.publicKey.export({ format: "jwk" });
            const kid = createHash("md5").update(cert.key_data).digest("hex");
            keys.push({
                ...jwk,
                kid,
                use: pk === provider.signing_key ? "sig" : "enc",
                alg: jwk.kty === "EC" ? "ES256" : pk === provider.signing_key ? "RS256" : "RSA-OAEP-256",
                x5c: [x509.raw.toString("base64")],
                x5t: createHash("sha1").update(x509.raw).digest("base64url"),
                "x5t#S256": createHash("sha256").update(x509.raw).digest("base64url"),
            });
        } catch {
            // a certificate that does not parse is skipped, as authentik logs and skips it
        }
    }
    return { keys };
}

/** Django's default 404 page (django/views/defaults.py page_not_found). */
export const DJANGO_404 =
    '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n';
