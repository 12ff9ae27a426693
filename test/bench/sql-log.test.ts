import { describe, expect, it } from "vitest";
import { countStatements, firstKeyword, MARKER, SqlLog, statementsIn } from "../../bench/lib/sql-log";

const LOG = [
    "2026-12-01 10:00:00.001 UTC [101] LOG:  statement: SELECT 1",
    "2026-12-01 10:00:00.002 UTC [102] LOG:  execute stmtcache_3f: SELECT rolname FROM pg_roles WHERE rolname = $1",
    "2026-12-01 10:00:00.002 UTC [102] DETAIL:  Parameters: $1 = 'acme_dev_app'",
    "2026-12-01 10:00:00.003 UTC [102] LOG:  execute <unnamed>: GRANT CONNECT ON DATABASE \"acme\" TO \"acme_app\"",
    "2026-12-01 10:00:00.004 UTC [103] LOG:  statement: CREATE ROLE \"x\" LOGIN",
    "2026-12-01 10:00:00.005 UTC [104] LOG:  statement: BEGIN",
    `2026-12-01 10:00:00.006 UTC [105] LOG:  statement: SELECT '${MARKER}1'`,
    "2026-12-01 10:00:00.007 UTC [100] LOG:  checkpoint starting: time",
].join("\n");

describe("SQL statements from PostgreSQL's log", () => {
    it("reads simple and extended-protocol statements, not parameters, markers or server messages", () => {
        expect(statementsIn(LOG)).toEqual([
            "SELECT 1",
            "SELECT rolname FROM pg_roles WHERE rolname = $1",
            'GRANT CONNECT ON DATABASE "acme" TO "acme_app"',
            'CREATE ROLE "x" LOGIN',
            "BEGIN",
        ]);
    });

    it("classifies by first keyword, comments and parentheses skipped", () => {
        expect(firstKeyword("  (select 1)")).toBe("SELECT");
        expect(firstKeyword("/* why */ alter role x")).toBe("ALTER");
        expect(firstKeyword("-- note\nDROP DATABASE x")).toBe("DROP");
        expect(countStatements(statementsIn(LOG))).toEqual({ total: 5, writes: 2, byKeyword: { BEGIN: 1, CREATE: 1, GRANT: 1, SELECT: 2 } });
    });

    it("cuts the log at markers, dropping what was taken", () => {
        const log = new SqlLog();
        log.append("LOG:  statement: SELECT 'before'\n");
        log.append(`LOG:  statement: SELECT '${MARKER}1'\nLOG:  statement: CREATE ROLE a\n`);
        expect(log.hasMarker("1")).toBe(true);
        expect(log.hasMarker("2")).toBe(false);
        log.cut("1");
        log.append(`LOG:  statement: DROP ROLE a\nLOG:  statement: SELECT '${MARKER}2'\nLOG:  statement: SELECT 'after'\n`);
        expect(statementsIn(log.cut("2"))).toEqual(["CREATE ROLE a", "DROP ROLE a"]);
        expect(() => log.cut("3")).toThrow("marker 3 is not in the log yet");
    });
});
