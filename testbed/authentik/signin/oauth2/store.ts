/**
 * OAuth2 grants in memory (authentik/providers/oauth2/models.py AuthorizationCode, AccessToken, RefreshToken, all
 * ExpiringModel + BaseGrantModel): provider, user, scope, auth_time, the authenticated session, `revoked`, and the
 * ID token each carries (`_id_token`). A grant of a deleted provider or user is gone (on_delete=CASCADE), which
 * the lookups model by ignoring such grants.
 */
import type { Db } from "../../core/db";
import type { LoginEvent } from "../session";
import type { IdToken } from "./idToken";

interface Grant {
    readonly providerPk: number;
    readonly userPk: number;
    readonly scope: readonly string[];
    /** auth_time, epoch ms */
    readonly authTime: number;
    /** expires, epoch ms */
    readonly expires: number;
    /** the AuthenticatedSession's session key (None for grants without a browser session) */
    readonly sessionKey: string | null;
    /** that session's login event (get_login_event(token.session): auth method for `amr`) */
    readonly login: LoginEvent | null;
}

export interface AuthorizationCode extends Grant {
    readonly code: string;
    readonly nonce: string | null;
    readonly codeChallenge: string | null;
    readonly codeChallengeMethod: string | null;
}

export interface AccessToken extends Grant {
    /** the JWT itself (AccessToken.token) */
    readonly token: string;
    readonly idToken: IdToken;
    revoked: boolean;
}

export interface RefreshToken extends Grant {
    readonly token: string;
    readonly idToken: IdToken;
    revoked: boolean;
}

/** ExpiringModel.is_expired: expires < now */
export function isExpired(grant: { readonly expires: number }): boolean {
    return grant.expires < Date.now();
}

export class TokenStore {
    readonly codes = new Map<string, AuthorizationCode>();
    readonly accessTokens = new Map<string, AccessToken>();
    readonly refreshTokens = new Map<string, RefreshToken>();

    clear(): void {
        this.codes.clear();
        this.accessTokens.clear();
        this.refreshTokens.clear();
    }

    /**
     * What the database would already have done: grants of a deleted provider or user are gone (CASCADE), and a
     * deactivated user's access and refresh tokens were deleted (providers/oauth2/signals.py user_deactivated).
     */
    prune(db: Db): void {
        const gone = (g: Grant) => !db.providers.has(g.providerPk) || !db.users.has(g.userPk);
        for (const [key, code] of this.codes) if (gone(code)) this.codes.delete(key);
        for (const map of [this.accessTokens, this.refreshTokens] as Map<string, Grant>[]) {
            for (const [key, token] of map) if (gone(token) || db.users.get(token.userPk)?.is_active === false) map.delete(key);
        }
    }

    /** providers/oauth2/signals.py user_session_deleted_oauth_tokens_removal: logout deletes the session's access tokens */
    sessionDeleted(sessionKey: string, userPk: number): void {
        for (const [key, token] of this.accessTokens) {
            if (token.sessionKey === sessionKey && token.userPk === userPk) this.accessTokens.delete(key);
        }
    }
}
