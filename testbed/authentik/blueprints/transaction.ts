/**
 * The database transaction a blueprint runs in (`atomic()`): a copy of the object stores, put back on rollback.
 * Sequences are not rolled back, as PostgreSQL's are not: a rolled-back create still used its pk.
 */
import type { Db } from "../core/db";

const STORES = ["flows", "certificates", "scopeMappings", "providers", "applications", "groups", "users", "brands", "policyBindings", "stages", "flowStageBindings"] as const;

type Snapshot = Map<(typeof STORES)[number], Map<unknown, unknown>>;

export function snapshot(db: Db): Snapshot {
    const copy: Snapshot = new Map();
    for (const name of STORES) copy.set(name, new Map([...(db[name] as Map<unknown, unknown>)].map(([k, v]) => [k, structuredClone(v)])));
    return copy;
}

export function restore(db: Db, copy: Snapshot): void {
    for (const name of STORES) {
        const store = db[name] as Map<unknown, unknown>;
        store.clear();
        for (const [k, v] of copy.get(name) ?? []) store.set(k, v);
    }
}

/** Runs `work` and always rolls back (authentik's `transaction_rollback()` around `validate`). */
export function rolledBack<T>(db: Db, work: () => T): T {
    const copy = snapshot(db);
    try {
        return work();
    } finally {
        restore(db, copy);
    }
}

/** Runs `work`; rolls back when it returns false or throws (`atomic()` around `apply`). */
export function atomic(db: Db, work: () => boolean): boolean {
    const copy = snapshot(db);
    try {
        if (work()) return true;
    } catch (error) {
        restore(db, copy);
        throw error;
    }
    restore(db, copy);
    return false;
}
