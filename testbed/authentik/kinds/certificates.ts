/**
 * Certificate-key pairs (authentik/crypto/models.py, authentik/crypto/api.py).
 * Fingerprints, subject, expiry and key type are read from the real certificate, as
 * authentik does with `cryptography`; certificate_data/key_data are write-only.
 */
import { X509Certificate, createPrivateKey } from "node:crypto";
import type { CertificateRecord, Db } from "../core/db";
import { FieldErrors, newUuid, uniqueMessage, type JsonObject } from "../core/fields";
import { boolFilter, exactFilter, type Kind } from "../core/kind";
import { deleteCertificate } from "./cascade";

const KEY_TYPES = ["dsa", "ec", "ed25519", "ed448", "rsa"];

interface ParsedCertificate {
    readonly fingerprint_sha256: string | null;
    readonly fingerprint_sha1: string | null;
    readonly cert_expiry: string | null;
    readonly cert_subject: string | null;
    readonly key_type: string | null;
}

const parsedCache = new Map<string, ParsedCertificate>();

/** RFC 4514 string as cryptography's Name.rfc4514_string() renders it (last RDN first). */
function rfc4514(subject: string): string {
    const escape = (v: string) => v.replace(/([,+"\\<>;])/g, "\\$1").replace(/^([ #])/, "\\$1").replace(/ $/, "\\ ");
    return subject
        .split("\n")
        .filter(Boolean)
        .map((rdn) => {
            const i = rdn.indexOf("=");
            return `${rdn.slice(0, i)}=${escape(rdn.slice(i + 1))}`;
        })
        .reverse()
        .join(",");
}

export function parseCertificate(pem: string): ParsedCertificate {
    const cached = parsedCache.get(pem);
    if (cached) return cached;
    let parsed: ParsedCertificate;
    try {
        const cert = new X509Certificate(pem);
        const keyType = cert.publicKey.asymmetricKeyType ?? null;
        parsed = {
            // hexlify(fingerprint, ":") — lowercase, colon separated
            fingerprint_sha256: cert.fingerprint256.toLowerCase(),
            fingerprint_sha1: cert.fingerprint.toLowerCase(),
            cert_expiry: new Date(cert.validTo).toISOString().replace(/\.000Z$/, "Z"),
            cert_subject: rfc4514(cert.subject),
            key_type: keyType && KEY_TYPES.includes(keyType) ? keyType : null,
        };
    } catch {
        parsed = { fingerprint_sha256: null, fingerprint_sha1: null, cert_expiry: null, cert_subject: null, key_type: null };
    }
    parsedCache.set(pem, parsed);
    return parsed;
}

function certificateLoads(pem: string): boolean {
    try {
        new X509Certificate(pem);
        return /-----BEGIN CERTIFICATE-----/.test(pem);
    } catch {
        return false;
    }
}

function keyLoads(pem: string): boolean {
    try {
        createPrivateKey({ key: pem, format: "pem" });
        return true;
    } catch {
        return false;
    }
}

export function certificateKind(db: Db): Kind<CertificateRecord> {
    return {
        objectName: "CertificateKeyPair",
        pkType: "uuid",
        store: db.certificates as Map<string | number, CertificateRecord>,
        relations: new Set(),
        save(body: JsonObject, existing: CertificateRecord | undefined, errors: FieldErrors): CertificateRecord {
            if (typeof body.name === "string") {
                for (const other of db.certificates.values()) {
                    if (other.name === body.name && other.pk !== existing?.pk) {
                        errors.add("name", uniqueMessage("Certificate-Key Pair", "name"));
                    }
                }
            }
            // crypto/api.py validate_certificate_data / validate_key_data
            if (typeof body.certificate_data === "string" && !certificateLoads(body.certificate_data)) {
                errors.add("certificate_data", "Unable to load certificate.");
            }
            if (typeof body.key_data === "string" && body.key_data !== "" && !keyLoads(body.key_data)) {
                errors.add("key_data", "Unable to load private key (possibly encrypted?).");
            }
            errors.throwIfAny();
            const record: CertificateRecord = existing ?? {
                pk: newUuid(),
                name: "",
                certificate_data: "",
                key_data: "",
                managed: null,
            };
            if (typeof body.name === "string") record.name = body.name;
            if (typeof body.certificate_data === "string") record.certificate_data = body.certificate_data;
            if (typeof body.key_data === "string") record.key_data = body.key_data;
            db.certificates.set(record.pk, record);
            return record;
        },
        serialize(kp: CertificateRecord): JsonObject {
            const parsed = parseCertificate(kp.certificate_data);
            return {
                pk: kp.pk,
                name: kp.name,
                fingerprint_sha256: parsed.fingerprint_sha256,
                fingerprint_sha1: parsed.fingerprint_sha1,
                cert_expiry: parsed.cert_expiry,
                cert_subject: parsed.cert_subject,
                private_key_available: kp.key_data !== "",
                key_type: parsed.key_type,
                certificate_download_url: `/api/v3/crypto/certificatekeypairs/${kp.pk}/view_certificate/?download`,
                private_key_download_url: `/api/v3/crypto/certificatekeypairs/${kp.pk}/view_private_key/?download`,
                managed: kp.managed,
            };
        },
        destroy: (kp) => deleteCertificate(db, kp),
        filters: {
            name: exactFilter((kp) => kp.name),
            managed: exactFilter((kp) => kp.managed),
            has_key: boolFilter((kp) => kp.key_data !== ""),
            key_type: {
                type: "choice",
                multi: true,
                choices: KEY_TYPES,
                test: (kp, values) => values.includes(parseCertificate(kp.certificate_data).key_type ?? ""),
            },
        },
        search: (kp) => [kp.name],
        ordering: ["name"],
    };
}
