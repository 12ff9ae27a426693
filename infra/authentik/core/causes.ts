/**
 * An error and its causes, outermost first, at most five deep (fetch nests undici's network error as `cause`).
 * A module of its own: the runtime's readiness provider is serialized with what it imports.
 */
export function* causes(error: unknown): Generator<{ readonly name?: unknown; readonly code?: unknown }> {
    for (let e: unknown = error, depth = 0; e !== null && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
        yield e as { name?: unknown; code?: unknown };
    }
}
