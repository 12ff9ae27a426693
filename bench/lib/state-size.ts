/** State size by resource type, from `pulumi stack export`. Pure: unit-tested in test/bench/. */

interface ExportedResource {
    readonly type: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
}

export interface TypeSize {
    readonly count: number;
    /** JSON bytes of these resources in the export, all together. */
    readonly bytes: number;
    readonly bytesPerResource: number;
    /** Of those, the serialized dynamic provider (`__provider` in inputs and outputs), per resource. */
    readonly providerBytesPerResource: number;
}

export interface StateSize {
    /** The whole export, bytes. */
    readonly totalBytes: number;
    readonly resources: number;
    /** By resource type, largest share first. */
    readonly byType: Record<string, TypeSize>;
}

function providerBytes(bag: Record<string, unknown> | undefined): number {
    const value = bag?.__provider;
    if (value === undefined) return 0;
    return typeof value === "string" ? Buffer.byteLength(value) : Buffer.byteLength(JSON.stringify(value));
}

export function stateSize(exportText: string): StateSize {
    const exported = JSON.parse(exportText) as { deployment?: { resources?: ExportedResource[] } };
    const resources = exported.deployment?.resources ?? [];
    const totals = new Map<string, { count: number; bytes: number; provider: number }>();
    for (const resource of resources) {
        const entry = totals.get(resource.type) ?? { count: 0, bytes: 0, provider: 0 };
        entry.count++;
        entry.bytes += Buffer.byteLength(JSON.stringify(resource));
        entry.provider += providerBytes(resource.inputs) + providerBytes(resource.outputs);
        totals.set(resource.type, entry);
    }
    const byType = [...totals.entries()]
        .sort(([ta, a], [tb, b]) => b.bytes - a.bytes || ta.localeCompare(tb))
        .map(([type, t]): [string, TypeSize] => [type, { count: t.count, bytes: t.bytes, bytesPerResource: Math.round(t.bytes / t.count), providerBytesPerResource: Math.round(t.provider / t.count) }]);
    return { totalBytes: Buffer.byteLength(exportText), resources: resources.length, byType: Object.fromEntries(byType) };
}
