/**
 * Scope-mapping expressions run as authentik runs them (authentik/lib/expression/evaluator.py BaseEvaluator,
 * authentik/core/expression/evaluator.py PropertyMappingEvaluator): real Python (pyodide, loaded once, lazily),
 * the expression wrapped in a function, over shims of the objects authentik passes (`request`, `request.user`,
 * `user`, `provider`, `token`). Touching anything not shimmed fails loudly, naming the expression and attribute.
 */
import type { Db, ProviderRecord, ScopeMappingRecord, UserRecord } from "../../core/db";

/** What authentik passes to a scope mapping evaluated for a token (userinfo.py get_claims). */
export interface ExpressionContext {
    readonly db: Db;
    readonly user: UserRecord;
    readonly provider: ProviderRecord;
    /** the token the claims are for: its scopes (token.scope) */
    readonly token: { readonly scope: readonly string[] };
}

/** The value the expression returns, converted to plain JSON (dicts, lists, str, int, float, bool, None). */
export async function evaluateScopeMapping(mapping: ScopeMappingRecord, context: ExpressionContext): Promise<unknown> {
    void mapping;
    void context;
    throw new Error("expression evaluator: not implemented yet");
}
