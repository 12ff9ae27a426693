/** Authentik's timedelta strings (`hours=1;minutes=30`), as `authentik.lib.utils.time.timedelta_from_string` reads them. */
const SECONDS: Readonly<Record<string, number>> = {
    weeks: 604_800,
    days: 86_400,
    hours: 3_600,
    minutes: 60,
    seconds: 1,
    milliseconds: 0.001,
    microseconds: 0.000_001,
};

/** Seconds of a duration string, or undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
    let total = 0;
    for (const part of text.split(";")) {
        const match = /^(\w+)=(\d+(?:\.\d+)?)$/.exec(part.trim());
        const unit = match ? SECONDS[match[1]!] : undefined;
        if (!match || unit === undefined) return undefined;
        total += Number(match[2]) * unit;
    }
    return total;
}
