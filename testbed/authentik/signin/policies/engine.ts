/**
 * authentik's policy engine (authentik/policies/engine.py) for what the sign-in side asks of it: may this user
 * open this application? The application's enabled bindings (group, user, policy) are evaluated in order and
 * combined by its `policy_engine_mode`; an application without bindings is open to every user.
 */
import type { ApplicationRecord, Db, UserRecord } from "../../core/db";

/** PolicyResult: whether access passes, and the messages a denial shows. */
export interface PolicyResult {
    readonly passing: boolean;
    readonly messages: readonly string[];
}

export function applicationAccess(db: Db, application: ApplicationRecord, user: UserRecord): PolicyResult {
    void db;
    void application;
    void user;
    throw new Error("policy engine: not implemented yet");
}
