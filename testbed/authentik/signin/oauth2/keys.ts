/**
 * How a provider signs its tokens (authentik/providers/oauth2/models.py OAuth2Provider.jwt_key / encode / encrypt):
 * with the signing key pair's private key (RS256 for RSA; ES256/384/512 by curve for EC) and `kid` =
 * CertificateKeyPair.kid = md5(key_data).hexdigest() in the header, the one the JWKS endpoint publishes; without a
 * signing key, HS256 with the client secret and no `kid`. PyJWT writes the header with sorted keys
 * (`alg`, `kid`, `typ: "JWT"`). With an encryption key the JWT is wrapped in a JWE (RSA-OAEP-256, A256CBC-HS512).
 * All signing and encryption is done by `jose`.
 */
import { createHash, createPrivateKey, type KeyObject } from "node:crypto";
import { CompactEncrypt, importPKCS8, importX509, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import type { CertificateRecord, Db, ProviderRecord } from "../../core/db";

type SigningAlg = "RS256" | "ES256" | "ES384" | "ES512" | "HS256";

interface SigningKey {
    readonly alg: SigningAlg;
    readonly key: CryptoKey | Uint8Array;
    readonly kid?: string;
}

const imported = new Map<string, Promise<{ alg: SigningAlg; key: CryptoKey }>>();

/** CertificateKeyPair.kid */
export function certificateKid(cert: CertificateRecord): string {
    return cert.key_data ? createHash("md5").update(cert.key_data).digest("hex") : "";
}

function algorithmOf(key: KeyObject): SigningAlg {
    if (key.asymmetricKeyType === "rsa") return "RS256";
    if (key.asymmetricKeyType === "ec") {
        const curve = key.asymmetricKeyDetails?.namedCurve;
        if (curve === "secp384r1") return "ES384";
        if (curve === "secp521r1") return "ES512";
        return "ES256";
    }
    throw new Error(`Invalid private key type: ${key.asymmetricKeyType ?? "unknown"}`);
}

function importPrivate(cert: CertificateRecord): Promise<{ alg: SigningAlg; key: CryptoKey }> {
    let found = imported.get(cert.key_data);
    if (!found) {
        const keyObject = createPrivateKey(cert.key_data);
        const alg = algorithmOf(keyObject);
        const pkcs8 = keyObject.export({ format: "pem", type: "pkcs8" }) as string;
        found = importPKCS8(pkcs8, alg).then((key) => ({ alg, key }));
        imported.set(cert.key_data, found);
    }
    return found;
}

/** OAuth2Provider.jwt_key, with the kid encode() puts in the header */
export async function signingKey(db: Db, provider: ProviderRecord): Promise<SigningKey> {
    const cert = provider.signing_key ? db.certificates.get(provider.signing_key) : undefined;
    if (!cert) return { alg: "HS256", key: new TextEncoder().encode(provider.client_secret) };
    const { alg, key } = await importPrivate(cert);
    return { alg, key, kid: certificateKid(cert) };
}

/** The algorithm tokens of this provider are signed with (discovery's id_token_signing_alg_values_supported) */
export function signingAlgorithm(db: Db, provider: ProviderRecord): SigningAlg {
    const cert = provider.signing_key ? db.certificates.get(provider.signing_key) : undefined;
    if (!cert) return "HS256";
    try {
        return algorithmOf(createPrivateKey(cert.key_data));
    } catch {
        return "RS256";
    }
}

/** OAuth2Provider.encode(payload, jwt_type) */
export async function encodeJwt(db: Db, provider: ProviderRecord, payload: JWTPayload, jwtType?: string): Promise<string> {
    const { alg, key, kid } = await signingKey(db, provider);
    const typ = jwtType ?? "JWT";
    const header = kid !== undefined ? { alg, kid, typ } : { alg, typ };
    const jwt = await new SignJWT(payload).setProtectedHeader(header).sign(key);
    const encryption = provider.encryption_key ? db.certificates.get(provider.encryption_key) : undefined;
    if (!encryption) return jwt;
    // OAuth2Provider.encrypt
    const publicKey = await importX509(encryption.certificate_data, "RSA-OAEP-256");
    return new CompactEncrypt(new TextEncoder().encode(jwt))
        .setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256CBC-HS512", typ: "JWE", kid: certificateKid(encryption) })
        .encrypt(publicKey);
}
