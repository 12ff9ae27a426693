import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { COMMANDS, measureRun, type Probes, type RunSample } from "./measure";
import { aggregate } from "./operation";
import { FULL_OPERATIONS, SCALE_OPERATIONS, type FullOperation, type ScaleOperation, type StackResult } from "./report";
import { stackSecrets, stackSettings, type Services, type StackSize } from "./stacks";
import { stateSize } from "./state-size";
import type { OperationResult } from "./operation";
import { resolve } from "node:path";

/** The phases of `npm run bench`: the engine's floor, the full test stack, and the sizes of the scale run. */

export const FLOOR_DIR = resolve(__dirname, "..", "floor");
const FLOOR_PROJECT = "gatehouse-bench-floor";
const AUTHENTIK_TYPE = "pulumi-nodejs:dynamic/authentik:";

export interface PhaseContext {
    readonly probes: Probes;
    readonly services: Services;
    readonly progress: (line: string) => void;
}

function seconds(sample: RunSample): string {
    return `${(sample.wallMs / 1000).toFixed(1)} s`;
}

async function timed(ctx: PhaseContext, stack: PulumiStack, what: string, args: readonly string[]): Promise<RunSample> {
    const sample = await measureRun(stack, args, ctx.probes);
    ctx.progress(`  ${what}: ${seconds(sample)}, ${sample.api.total} API calls, ${sample.sql.total} SQL`);
    return sample;
}

/** The floor: `up` from nothing and a no-op `preview` of one dynamic resource and one RandomPassword. */
export async function runFloor(ctx: PhaseContext, runs: number): Promise<Record<"preview" | "up", OperationResult>> {
    const stack = await PulumiStack.create("benchfloor", {}, {}, { cwd: FLOOR_DIR, project: FLOOR_PROJECT });
    const samples = { up: [] as RunSample[], preview: [] as RunSample[] };
    try {
        for (let run = 1; run <= runs; run++) {
            ctx.progress(`floor, run ${run} of ${runs}`);
            samples.up.push(await timed(ctx, stack, "up", COMMANDS.up));
            samples.preview.push(await timed(ctx, stack, "preview", COMMANDS.preview));
            await stack.destroy();
        }
    } finally {
        await stack.remove();
    }
    return { up: aggregate(samples.up), preview: aggregate(samples.preview) };
}

function shape(exported: string) {
    const state = stateSize(exported);
    const lookups: Record<string, number> = {};
    let authentikObjects = 0;
    for (const [type, size] of Object.entries(state.byType)) {
        if (!type.startsWith(AUTHENTIK_TYPE)) continue;
        authentikObjects += size.count;
        if (type.endsWith("Lookup")) lookups[type] = size.count;
    }
    return { state, resources: state.resources, authentikObjects, lookups };
}

/** A Gatehouse stack of one size: each run performs the operations in order, starting from nothing. */
async function runStack<Op extends string>(ctx: PhaseContext, app: string, size: StackSize, runs: number, operations: readonly Op[]): Promise<StackResult<Op>> {
    const stack = await PulumiStack.create(`bench-${app}`, stackSettings(app, size, ctx.services), stackSecrets(ctx.services));
    const samples = Object.fromEntries(operations.map((op) => [op, [] as RunSample[]])) as Record<Op, RunSample[]>;
    let exported: ReturnType<typeof shape> | undefined;
    try {
        for (let run = 1; run <= runs; run++) {
            ctx.progress(`${size.users} users, ${size.groups} groups: run ${run} of ${runs}`);
            for (const op of operations) {
                samples[op].push(await timed(ctx, stack, op, COMMANDS[op as keyof typeof COMMANDS]));
                if (op === "up" && exported === undefined) exported = shape(await stack.exportText());
            }
            // Up from nothing again for the next run; after the last, the stack is dropped without a destroy (the
            // emulator is reset and names differ per size, so what it leaves harms nothing).
            if (!operations.includes("destroy" as Op) && run < runs) await stack.destroy();
        }
    } finally {
        await stack.remove();
    }
    if (exported === undefined) throw new Error("no up was measured");
    const results = Object.fromEntries(operations.map((op) => [op, aggregate(samples[op])])) as Record<Op, OperationResult>;
    return { users: size.users, groups: size.groups, resources: exported.resources, authentikObjects: exported.authentikObjects, lookups: exported.lookups, operations: results, state: exported.state };
}

/** The full test stack: up from nothing, no-op preview, no-op up, refresh, destroy; `runs` times. */
export function runFull(ctx: PhaseContext, size: StackSize, runs: number): Promise<StackResult<FullOperation>> {
    return runStack(ctx, "full", size, runs, FULL_OPERATIONS);
}

/** One size of the scale run: up from nothing, no-op preview, refresh. */
export function runScale(ctx: PhaseContext, size: StackSize, runs: number): Promise<StackResult<ScaleOperation>> {
    return runStack(ctx, `u${size.users}g${size.groups}`, size, runs, SCALE_OPERATIONS);
}
