/**
 * The sign-in side's own state, in memory and emptied by reset(): sessions (authentik's Session /
 * AuthenticatedSession rows), OAuth2 grants (AuthorizationCode, AccessToken, RefreshToken) and consents
 * (stages/consent/models.py UserConsent).
 */
import type { Db } from "../core/db";
import { TokenStore } from "./oauth2/store";
import { SessionStore } from "./session";

export interface UserConsent {
    readonly userPk: number;
    readonly applicationPk: string;
    /** space-separated permission ids */
    readonly permissions: string;
    /** epoch ms; undefined = not expiring */
    readonly expires?: number;
}

export class ConsentStore {
    private consents: UserConsent[] = [];

    clear(): void {
        this.consents = [];
    }

    /** UserConsent.filter_not_expired(user=, application=).first() */
    find(userPk: number, applicationPk: string): UserConsent | undefined {
        const now = Date.now();
        return this.consents.find((c) => c.userPk === userPk && c.applicationPk === applicationPk && (c.expires === undefined || c.expires > now));
    }

    add(consent: UserConsent): void {
        this.consents.push(consent);
    }
}

export class SignInStores {
    readonly sessions: SessionStore;
    readonly tokens = new TokenStore();
    readonly consents = new ConsentStore();

    constructor(db: Db) {
        this.sessions = new SessionStore(() => db.secretKey);
    }

    clear(): void {
        this.sessions.clear();
        this.tokens.clear();
        this.consents.clear();
    }
}
