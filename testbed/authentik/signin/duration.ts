/**
 * authentik/lib/utils/time.py timedelta_from_string: "hours=1;minutes=2" into a duration. Keys are timedelta's
 * keyword arguments (lower-cased; unknown keys are ignored), values Python floats. The API validates these strings
 * on the way in (core/fields.ts timedeltaMessage), so a stored value always parses.
 */
const SECONDS: Record<string, number> = {
    microseconds: 1e-6,
    milliseconds: 1e-3,
    seconds: 1,
    minutes: 60,
    hours: 3600,
    days: 86_400,
    weeks: 604_800,
};

/** total_seconds() of the duration */
export function timedeltaSeconds(value: string): number {
    // kwargs[key.lower()] = float(value): a repeated key overrides, keys are not stripped
    const kwargs = new Map<string, number>();
    for (const pair of value.split(";")) {
        const [key, raw] = pair.split("=");
        const name = (key ?? "").toLowerCase();
        const n = Number((raw ?? "").trim());
        if (SECONDS[name] !== undefined && Number.isFinite(n)) kwargs.set(name, n);
    }
    let total = 0;
    for (const [name, n] of kwargs) total += n * (SECONDS[name] as number);
    return total;
}

/** int(timedelta.total_seconds()), as authentik reports expires_in */
export function timedeltaWholeSeconds(value: string): number {
    return Math.trunc(timedeltaSeconds(value));
}
