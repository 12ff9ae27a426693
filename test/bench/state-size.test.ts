import { describe, expect, it } from "vitest";
import { stateSize } from "../../bench/lib/state-size";

describe("state size by resource type", () => {
    it("sums each type's resources and the serialized providers they carry, largest type first", () => {
        const provider = "x".repeat(1000);
        const exported = JSON.stringify({
            version: 3,
            deployment: {
                resources: [
                    { type: "random:index/randomPassword:RandomPassword", urn: "u1", outputs: { length: 32 } },
                    { type: "pulumi-nodejs:dynamic/authentik:User", urn: "u2", inputs: { __provider: provider }, outputs: { __provider: provider, pk: 1 } },
                    { type: "pulumi-nodejs:dynamic/authentik:User", urn: "u3", inputs: { __provider: provider }, outputs: { __provider: provider, pk: 2 } },
                ],
            },
        });
        const size = stateSize(exported);
        expect(size.totalBytes).toBe(Buffer.byteLength(exported));
        expect(size.resources).toBe(3);
        expect(Object.keys(size.byType)).toEqual(["pulumi-nodejs:dynamic/authentik:User", "random:index/randomPassword:RandomPassword"]);
        const user = size.byType["pulumi-nodejs:dynamic/authentik:User"]!;
        expect(user.count).toBe(2);
        expect(user.providerBytesPerResource).toBe(2000);
        expect(user.bytesPerResource).toBeGreaterThan(2000);
        expect(size.byType["random:index/randomPassword:RandomPassword"]!.providerBytesPerResource).toBe(0);
    });

    it("reads a stack without resources", () => {
        expect(stateSize('{"deployment":{}}')).toMatchObject({ resources: 0, byType: {} });
    });
});
