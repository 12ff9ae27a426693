/** Names a `.env` file may define: shell-style identifiers. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Quotes a value so that dotenv readers (node dotenv, python-dotenv, docker compose) and `set -a; . file` read it
 * back unchanged: single quotes (no expansion) unless the value holds one, then double quotes with escapes.
 */
export function quoteValue(value: string): string {
    if (value.includes("\n")) throw new Error("a .env value cannot span lines");
    if (!value.includes("'")) return `'${value}'`;
    return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\$/g, "\\$").replace(/`/g, "\\`")}"`;
}

/** Renders variables as a `.env` file, sorted by name so the file is stable across runs. */
export function renderDotenv(vars: Readonly<Record<string, string>>, header: string): string {
    const lines = [`# ${header}`];
    for (const name of Object.keys(vars).sort()) {
        if (!NAME.test(name)) throw new Error(`invalid environment variable name: ${name}`);
        lines.push(`${name}=${quoteValue(vars[name] ?? "")}`);
    }
    return `${lines.join("\n")}\n`;
}
