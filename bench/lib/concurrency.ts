import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { Server } from "node:http";

/**
 * How many Authentik requests were in flight at once: the emulator serves in this process, so Node's own HTTP
 * server channels see every request start and finish (no proxy in the way, no change to the emulator). A dynamic
 * provider that serialized its calls would show a peak of 1 whatever `--parallel` says.
 */
export interface Concurrency {
    /** Most requests in flight at one moment. */
    readonly peak: number;
    /** Time-weighted mean over the time at least one request was in flight. */
    readonly mean: number;
}

/** Pure: the peak and busy-time mean of in-flight counts, from start (+1) and finish (−1) events in time order. */
export function concurrencyOf(events: readonly { readonly at: number; readonly delta: 1 | -1 }[]): Concurrency {
    let current = 0;
    let peak = 0;
    let weighted = 0;
    let busy = 0;
    let last = events[0]?.at ?? 0;
    for (const event of events) {
        if (current > 0) {
            weighted += current * (event.at - last);
            busy += event.at - last;
        }
        current = Math.max(0, current + event.delta);
        peak = Math.max(peak, current);
        last = event.at;
    }
    return { peak, mean: busy > 0 ? weighted / busy : peak };
}

/** Records request starts and finishes of `only` (default: every HTTP server in this process) until `stop()`. */
export function watchConcurrency(only?: Server): { stop(): Concurrency } {
    const events: { at: number; delta: 1 | -1 }[] = [];
    const ours = (message: unknown) => only === undefined || (message as { server?: unknown }).server === only;
    const started = (message: unknown) => void (ours(message) && events.push({ at: performance.now(), delta: 1 }));
    const finished = (message: unknown) => void (ours(message) && events.push({ at: performance.now(), delta: -1 }));
    subscribe("http.server.request.start", started);
    subscribe("http.server.response.finish", finished);
    return {
        stop() {
            unsubscribe("http.server.request.start", started);
            unsubscribe("http.server.response.finish", finished);
            return concurrencyOf(events);
        },
    };
}
