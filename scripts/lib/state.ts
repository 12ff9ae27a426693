/** A resource as `pulumi stack export` writes it (the fields Gatehouse's scripts read). */
export interface ExportedResource {
    readonly urn: string;
    readonly type: string;
    readonly id?: string;
    readonly outputs?: Record<string, unknown>;
}

/** The resource's name: the last `::` segment of its URN. */
export function urnName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/**
 * Resources whose outputs differ between two exports (taken with --show-secrets, so a new secret value shows as a
 * change); compared by URN, values never leave this function.
 */
export function changedResources(before: readonly ExportedResource[], after: readonly ExportedResource[]): ExportedResource[] {
    const old = new Map(before.map((r) => [r.urn, JSON.stringify(r.outputs ?? {})]));
    return after.filter((r) => old.has(r.urn) && old.get(r.urn) !== JSON.stringify(r.outputs ?? {}));
}
