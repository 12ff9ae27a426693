import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** The provider reference (`<urn>::<id>`) it was registered with, if any. */
    readonly provider?: string;
}

/**
 * Pulumi runtime mocks that record every resource declared. RandomPassword results are fixed strings so tests can
 * check where a secret flows without any real randomness.
 */
export function recordResources(): RecordedResource[] {
    const recorded: RecordedResource[] = [];
    pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                recorded.push({ type: args.type, name: args.name, inputs: unwrapSecrets(args.inputs) as Record<string, unknown>, ...(args.provider !== undefined && { provider: args.provider }) });
                const state: Record<string, unknown> = { ...args.inputs };
                if (args.type === "random:index/randomPassword:RandomPassword") state.result = `generated-${args.name}`;
                return { id: `${args.name}-id`, state };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                return args.inputs;
            },
        },
        "gatehouse",
        "dev",
        false,
    );
    return recorded;
}

/** Resolves an Output (or plain value) together with whether it is secret. */
export async function settle<T>(value: pulumi.Input<T>): Promise<{ value: T; secret: boolean }> {
    const output = pulumi.output(value);
    const secret = await pulumi.isSecret(output);
    const resolved = await new Promise<T>((resolve) => output.apply((v) => resolve(v as T)));
    return { value: resolved, secret };
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Mocks see secret inputs in Pulumi's wire form `{<sig>: <secret sig>, value}`; tests want the plain value. */
export function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (SECRET_SIG in record && "value" in record) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** Resource registration under mocks is asynchronous: wait until no new resource appears for a while. */
export async function settled(recorded: readonly unknown[], quietMs = 100): Promise<void> {
    let seen = -1;
    while (seen !== recorded.length) {
        seen = recorded.length;
        await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
}
