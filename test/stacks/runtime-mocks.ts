/**
 * Pulumi mocks for the runtime's graph: every resource's inputs as given (secrets still wrapped, so a test can tell a
 * secret from a plain value) and unwrapped, and every resource's options (through a stack transformation, which mocks
 * alone do not see). Images resolve to an id naming their reference; AuthentikReady answers at a URL of its own, so
 * a test sees which resources take it.
 */
import * as pulumi from "@pulumi/pulumi";
import { unwrapSecrets } from "../harness/mocks";

export interface RawResource {
    readonly type: string;
    readonly name: string;
    /** As the engine gets them: secrets are `{<sig>: …, value}` objects. */
    readonly raw: Record<string, unknown>;
    readonly inputs: Record<string, unknown>;
}

export const READY_URL = "http://authentik-ready.mock:9000";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export function recordRaw(stack: string): RawResource[] {
    const recorded: RawResource[] = [];
    pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                recorded.push({ type: args.type, name: args.name, raw: args.inputs as Record<string, unknown>, inputs: unwrapSecrets(args.inputs) as Record<string, unknown> });
                const state: Record<string, unknown> = { ...args.inputs };
                if (args.type === "random:index/randomPassword:RandomPassword") state.result = `generated-${args.name}`;
                if (args.type === "docker:index/remoteImage:RemoteImage") state.imageId = `image-of:${String(args.inputs.name)}`;
                if (args.name.endsWith("-ready")) state.url = READY_URL;
                return { id: `${args.name}-id`, state };
            },
            call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
        },
        "gatehouse",
        stack,
        false,
    );
    return recorded;
}

export function isSecretValue(value: unknown): boolean {
    return value !== null && typeof value === "object" && SECRET_SIG in (value as Record<string, unknown>);
}

/** Every string in `value` outside secret wrappers: where a secret must never appear. */
export function plainStrings(value: unknown): string[] {
    if (isSecretValue(value)) return [];
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(plainStrings);
    if (value !== null && typeof value === "object") return Object.values(value).flatMap(plainStrings);
    return [];
}

/** Builds the stack from a stack file's settings inside a root stack, recording each resource's options. */
export async function buildRecorded(raw: Record<string, unknown>, secretPaths: Set<string>, stack: string): Promise<{ options: Map<string, pulumi.CustomResourceOptions>; outputs: import("../../stacks/build").StackOutputs }> {
    const { parseStackConfig } = await import("../../infra/config/parse");
    const { buildStack } = await import("../../stacks/build");
    const { runInPulumiStack } = (await import("@pulumi/pulumi/runtime/stack")) as { runInPulumiStack(init: () => Promise<unknown>): Promise<unknown> };
    const options = new Map<string, pulumi.CustomResourceOptions>();
    let outputs: import("../../stacks/build").StackOutputs | undefined;
    await runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
            options.set(args.name, args.opts);
            return undefined;
        });
        outputs = buildStack(parseStackConfig(raw, { stack, secretPaths }));
    });
    return { options, outputs: outputs! };
}
