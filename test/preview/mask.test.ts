import { describe, expect, it } from "vitest";
import { isSecretKey, looksLikeSecret, maskText, maskValue } from "../../scripts/lib/preview/mask";
import { UNKNOWN } from "../../scripts/lib/preview/model";

/** A seeded PRNG (mulberry32): the same "random" secrets on every run, so the test never flakes. */
function prng(seed: number): () => number {
    return () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const random = prng(12);

/** Strings shaped like Gatehouse's generated secrets (infra/secrets/policy.ts: one lower, upper and digit at least). */
function generated(length: number, alphabet: string): string {
    const pick = (chars: string) => chars[Math.floor(random() * chars.length)]!;
    const chars = [pick("abcdefghijklmnopqrstuvwxyz"), pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), pick("0123456789")];
    while (chars.length < length) chars.splice(Math.floor(random() * (chars.length + 1)), 0, pick(alphabet));
    return chars.join("");
}
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

describe("what looks like a secret", () => {
    it("every shape of generated secret, many times over", () => {
        for (let i = 0; i < 200; i++) {
            for (const value of [generated(64, `${ALNUM}-_`), generated(40, ALNUM), generated(24, `${ALNUM}-_.!`), bytes(32).toString("hex"), bytes(30).toString("base64")]) {
                expect(looksLikeSecret(value), value.length.toString()).toBe(true);
            }
        }
    });

    it("API tokens and JWT-like values", () => {
        expect(looksLikeSecret("ghp_2Xk9Lm3Qp8Rz7Vt1Ws4Yb6Nc0Hd5Jf2Ga9Pe")).toBe(true);
        expect(looksLikeSecret("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl")).toBe(true);
    });

    it("not the names, pks, types and URNs a reviewer needs to read", () => {
        for (const value of [
            "6b96cd2e-2e45-4574-9b3c-7ca023d74eb1",
            "pulumi-nodejs:dynamic/authentik:OAuth2Provider",
            "urn:pulumi:pvdev::gatehouse::gatehouse:authentik:AuthentikDirectory$pulumi-nodejs:dynamic/authentik:Group::gatehouse-directory-group-org-BCD",
            "gatehouse-secrets-test-user-passwords-eddie",
            "default-provider-authorization-implicit-consent",
            "authentik Self-signed Certificate",
            "http://localhost:5000/oauth/callback",
            "goauthentik.io/providers/oauth2/scope-email",
            "AuthentikOidcApp",
            "users/pv-dev-test",
            "minutes=5",
        ]) {
            expect(looksLikeSecret(value), value).toBe(false);
        }
    });
});

describe("masking", () => {
    it("keys that name credentials, but not token lifetimes", () => {
        for (const key of ["password", "clientSecret", "AUTHENTIK_SECRET_KEY", "SECRET_KEY", "bootstrapToken", "AUTHENTIK_BOOTSTRAP_TOKEN", "token", "result", "bcryptHash", "adminPassword"]) {
            expect(isSecretKey(key), key).toBe(true);
        }
        for (const key of ["accessTokenValidity", "refreshTokenValidity", "username", "redirectUris", "signingKey", "keepers", "tokenUser"]) expect(isSecretKey(key), key).toBe(false);
    });

    it("passwords in connection strings, key=value pairs and free text", () => {
        expect(maskText("postgresql://pv_dev_app:s3cr3t@db:5432/pv_dev?sslmode=require")).toBe("postgresql://pv_dev_app:[secret]@db:5432/pv_dev?sslmode=require");
        expect(maskText("host=db password=hunter2 user=x")).toBe("host=db password=[secret] user=x");
        expect(maskText("AUTHENTIK_SECRET_KEY: abc")).toBe("AUTHENTIK_SECRET_KEY: [secret]");
        const token = generated(40, ALNUM);
        expect(maskText(`error: 401 for token "${token}".`)).toBe('error: 401 for token "[secret]".');
        expect(maskText("password authentication failed for user pv_dev_app")).toBe("password authentication failed for user pv_dev_app");
    });

    it("values: engine secrets stay [secret], unknowns become [unknown], nested keys are masked by name", () => {
        expect(maskValue("[secret]")).toBe("[secret]");
        expect(maskValue(UNKNOWN)).toBe("[unknown]");
        expect(maskValue(UNKNOWN, "clientSecret")).toBe("[secret]");
        expect(maskValue({ DATABASE_URL: "postgres://a:b@h/d", OIDC_CLIENT_SECRET: "plain", APP_ENV: "dev", nested: [generated(64, ALNUM)] })).toEqual({
            DATABASE_URL: "postgres://a:[secret]@h/d",
            OIDC_CLIENT_SECRET: "[secret]",
            APP_ENV: "dev",
            nested: ["[secret]"],
        });
        expect(maskValue("", "password")).toBe("");
    });
});
