/** Authentik API calls of one run, from the emulator's request log. Pure: unit-tested in test/bench/. */

/** What the benchmark reads of a log entry (testbed/authentik's LogEntry has these and more). */
export interface ApiLogEntry {
    readonly method: string;
    readonly path: string;
    readonly operationId?: string;
}

export const WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;

/** List operations of the objects Gatehouse only looks up (flows, certificate key pairs, managed scope mappings). */
export const LOOKUP_OPERATIONS = ["flows_instances_list", "crypto_certificatekeypairs_list", "propertymappings_provider_scope_list"] as const;

export interface ApiCalls {
    readonly total: number;
    /** Calls by HTTP method, sorted by method. */
    readonly byMethod: Record<string, number>;
    /** POST, PUT, PATCH and DELETE together. */
    readonly writes: number;
    /** Calls by operation id (the path where the emulator named none), sorted. */
    readonly byOperation: Record<string, number>;
    /** List calls of the lookup operations, by operation. */
    readonly lookups: Record<string, number>;
}

function sortedCounts(counts: Map<string, number>): Record<string, number> {
    return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

export function countApiCalls(entries: readonly ApiLogEntry[]): ApiCalls {
    const byMethod = new Map<string, number>();
    const byOperation = new Map<string, number>();
    for (const entry of entries) {
        const method = entry.method.toUpperCase();
        byMethod.set(method, (byMethod.get(method) ?? 0) + 1);
        const op = entry.operationId ?? `${method} ${entry.path}`;
        byOperation.set(op, (byOperation.get(op) ?? 0) + 1);
    }
    const writes = WRITE_METHODS.reduce((sum, method) => sum + (byMethod.get(method) ?? 0), 0);
    const lookups = new Map<string, number>();
    for (const op of LOOKUP_OPERATIONS) lookups.set(op, byOperation.get(op) ?? 0);
    return { total: entries.length, byMethod: sortedCounts(byMethod), writes, byOperation: sortedCounts(byOperation), lookups: sortedCounts(lookups) };
}
