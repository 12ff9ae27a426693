/**
 * SQL statements of one run, from PostgreSQL's own log (`log_statement = all`, the server's stderr). Pure parsing
 * and counting, unit-tested in test/bench/; `SqlLog` only keeps the text and cuts it into runs at markers.
 */

/** A line of a logged statement: simple protocol (`statement:`) or the execute step of the extended one. */
const STATEMENT = /\bLOG:\s+(?:statement|execute [^:]*):\s*(.*)$/;

/** First keywords of statements that change something (catalog or rows). */
export const WRITING_KEYWORDS = ["ALTER", "COMMENT", "CREATE", "DELETE", "DROP", "GRANT", "INSERT", "REASSIGN", "REVOKE", "TRUNCATE", "UPDATE"] as const;

/** What the benchmark's own marker statements contain, to cut the log into runs; never counted. */
export const MARKER = "gatehouse-bench-mark:";

export interface SqlCounts {
    readonly total: number;
    /** Statements that change something (see WRITING_KEYWORDS). */
    readonly writes: number;
    /** Statements by first keyword, sorted. */
    readonly byKeyword: Record<string, number>;
}

/** The statements logged in `text` (PostgreSQL stderr), markers left out. */
export function statementsIn(text: string): string[] {
    const statements: string[] = [];
    for (const line of text.split("\n")) {
        const match = STATEMENT.exec(line);
        if (match && !line.includes(MARKER)) statements.push(match[1]!.trim());
    }
    return statements;
}

/** `SELECT`, `CREATE`, …: a statement's first keyword, upper case (`(` and comments skipped). */
export function firstKeyword(statement: string): string {
    const bare = statement.replace(/^(\s|\(|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, "");
    return (/^[A-Za-z]+/.exec(bare)?.[0] ?? "?").toUpperCase();
}

export function countStatements(statements: readonly string[]): SqlCounts {
    const byKeyword = new Map<string, number>();
    for (const statement of statements) {
        const keyword = firstKeyword(statement);
        byKeyword.set(keyword, (byKeyword.get(keyword) ?? 0) + 1);
    }
    const writing = new Set<string>(WRITING_KEYWORDS);
    let writes = 0;
    for (const [keyword, n] of byKeyword) if (writing.has(keyword)) writes += n;
    return { total: statements.length, writes, byKeyword: Object.fromEntries([...byKeyword.entries()].sort(([a], [b]) => a.localeCompare(b))) };
}

/** The server's log as it arrives, cut into runs at marker statements. */
export class SqlLog {
    private text = "";

    /** Pass as `startPostgres({ log })`. */
    readonly append = (chunk: string): void => {
        this.text += chunk;
    };

    /** Whether the marker statement `${MARKER}${id}` has been logged. */
    hasMarker(id: string): boolean {
        return this.text.includes(`${MARKER}${id}'`);
    }

    /** The text logged since the last cut, up to and including the given marker's line; it is dropped from the log. */
    cut(id: string): string {
        const at = this.text.indexOf(`${MARKER}${id}'`);
        if (at < 0) throw new Error(`marker ${id} is not in the log yet`);
        const newline = this.text.indexOf("\n", at);
        const end = newline < 0 ? this.text.length : newline + 1;
        const taken = this.text.slice(0, end);
        this.text = this.text.slice(end);
        return taken;
    }
}
