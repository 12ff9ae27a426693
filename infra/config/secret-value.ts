/**
 * A secret setting becomes a Pulumi secret the moment it is parsed, so rules cannot read it back; its length (not
 * its value) is kept beside it for the rules that require a minimum.
 */
import * as pulumi from "@pulumi/pulumi";

const lengths = new WeakMap<object, number>();

export function secretInput(value: string): pulumi.Output<string> {
    const output = pulumi.secret(value);
    lengths.set(output, value.length);
    return output;
}

/** The length of a parsed secret setting, or undefined for anything else. */
export function secretLength(value: unknown): number | undefined {
    return value !== null && typeof value === "object" ? lengths.get(value) : undefined;
}
