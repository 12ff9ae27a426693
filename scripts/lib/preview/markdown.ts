/** Markdown that no value can break out of: inline code, code fences and HTML text, as GitHub renders them. */

/** Inline code; a value with backticks gets a longer fence, padded as CommonMark wants. */
export function code(text: string): string {
    const flat = text.replace(/\r?\n/g, " ");
    const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longest + 1);
    const pad = longest > 0 || flat.startsWith(" ") || flat.endsWith(" ") ? " " : "";
    return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced block that its content cannot close early. */
export function fenced(body: string, language = ""): string {
    const longest = Math.max(2, ...(body.match(/`{3,}/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longest + 1);
    return `${fence}${language}\n${body}\n${fence}`;
}

/** Text for HTML context (`<summary>`), and for Markdown where `<`, `>` and `&` must stay literal. */
export function escapeHtml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A folded block: GitHub needs the blank lines around Markdown inside `<details>`. */
export function details(summary: string, body: string): string {
    return `<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

/** `1,000` */
export function count(n: number): string {
    return n.toLocaleString("en-US");
}

/** `1 user`, `3 users` for the kind labels Gatehouse uses. */
export function plural(n: number, label: string): string {
    if (n === 1) return `1 ${label}`;
    const word = /(s|x|sh|ch)$/.test(label) ? `${label}es` : /[^aeiou]y$/.test(label) ? `${label.slice(0, -1)}ies` : `${label}s`;
    return `${count(n)} ${word}`;
}
