/**
 * The ID token (authentik/providers/oauth2/id_token.py IDToken.new / to_dict / to_access_token):
 * iss (the provider's issuer), sub (by sub_mode), aud (client_id), exp (the grant's expiry), iat, auth_time,
 * acr "goauthentik.io/providers/oauth2/default", amr from the login's method ("pwd" for a password login),
 * nonce / at_hash / c_hash where set, sid (sha256 of the session key), and — with include_claims_in_id_token —
 * the claims of the scope mappings. Claims override the standard keys (to_dict: `id_dict.update(self.claims)`).
 * The access token is the same dict plus azp, uid and scope, signed the same way.
 */
import { createHash } from "node:crypto";
import type { Db, ProviderRecord, UserRecord } from "../../core/db";
import { generateId } from "../../core/fields";
import { userUid } from "../../kinds/users";
import { getClaims } from "../expressions/claims";
import type { HttpRequestContext } from "../expressions/evaluate";
import type { LoginEvent } from "../session";
import { issuerFor } from "./discovery";
import { encodeJwt } from "./keys";

/** ACR_AUTHENTIK_DEFAULT */
export const ACR_DEFAULT = "goauthentik.io/providers/oauth2/default";

export interface IdToken {
    iss?: string;
    sub?: string;
    aud?: string;
    exp?: number;
    iat?: number;
    auth_time?: number;
    acr?: string;
    amr?: string[];
    c_hash?: string;
    nonce?: string;
    at_hash?: string;
    sid?: string;
    claims: Record<string, unknown>;
}

/** What IDToken.new reads from the grant it is made for */
export interface GrantInfo {
    readonly user: UserRecord;
    readonly scope: readonly string[];
    readonly expires: number;
    readonly authTime: number;
    readonly sessionKey: string | null;
    readonly login: LoginEvent | null;
}

/** The request the token is issued in: its origin (issuer) and what scope mappings see as the HTTP request. */
export interface IssueRequest {
    readonly origin: string;
    readonly http: HttpRequestContext;
}

/** SubModes */
function subject(db: Db, provider: ProviderRecord, user: UserRecord): string {
    switch (provider.sub_mode) {
        case "hashed_user_id":
            return userUid(db, user);
        case "user_id":
            return String(user.pk);
        case "user_uuid":
            return user.uuid;
        case "user_email":
            return user.email;
        case "user_username":
            return user.username;
        case "user_upn":
            return typeof user.attributes.upn === "string" ? user.attributes.upn : userUid(db, user);
        default:
            throw new Error(`Provider ${provider.name} has invalid sub_mode selected: ${provider.sub_mode}`);
    }
}

/** base64url of the left half of sha256(value): at_hash of an access token, c_hash of a code */
export function leftHalfHash(value: string): string {
    return createHash("sha256").update(value, "ascii").digest().subarray(0, 16).toString("base64url");
}

/** authentik hashes the session key for the `sid` claim */
export function sessionId(sessionKey: string): string {
    return createHash("sha256").update(sessionKey, "ascii").digest("hex");
}

export async function newIdToken(db: Db, provider: ProviderRecord, grant: GrantInfo, req: IssueRequest): Promise<IdToken> {
    const app = db.applicationOfProvider(provider.pk);
    const token: IdToken = {
        iss: app ? issuerFor(provider, app.slug, req.origin) : undefined,
        sub: subject(db, provider, grant.user),
        aud: provider.client_id,
        exp: Math.floor(grant.expires / 1000),
        iat: Math.floor(Date.now() / 1000),
        auth_time: Math.floor(grant.authTime / 1000),
        acr: ACR_DEFAULT,
        claims: {},
    };
    if (grant.sessionKey) token.sid = sessionId(grant.sessionKey);
    if (grant.login) {
        const amr: string[] = [];
        if (grant.login.method === "password") amr.push("pwd");
        if (grant.login.method === "auth_webauthn_pwl") amr.push("hwk");
        if ("mfa_devices" in grant.login.methodArgs && amr.length > 0) amr.push("mfa");
        if (amr.length > 0) token.amr = amr;
    }
    if (provider.include_claims_in_id_token) {
        const context = { db, user: grant.user, provider, token: { scope: grant.scope }, httpRequest: req.http };
        // the ID token's claims go through json.dumps (PyJWT), not Django's encoder
        token.claims = (await getClaims(context, { encoder: "json" })).claims;
    }
    return token;
}

const ORDER = ["iss", "sub", "aud", "exp", "iat", "auth_time", "acr", "amr", "c_hash", "nonce", "at_hash", "sid"] as const;

/** to_dict(): the dataclass fields without None, then the claims */
export function idTokenDict(token: IdToken): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of ORDER) {
        const value = token[key];
        if (value !== undefined && value !== null) out[key] = value;
    }
    return { ...out, ...token.claims };
}

export function idTokenJwt(db: Db, provider: ProviderRecord, token: IdToken): Promise<string> {
    return encodeJwt(db, provider, idTokenDict(token));
}

/** to_access_token(): azp, uid (generate_id()) and the token's scope added */
export function accessTokenJwt(db: Db, provider: ProviderRecord, token: IdToken, scope: readonly string[]): Promise<string> {
    return encodeJwt(db, provider, { ...idTokenDict(token), azp: provider.client_id, uid: generateId(), scope: scope.join(" ") });
}
