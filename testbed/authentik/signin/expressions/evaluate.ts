/**
 * Scope-mapping expressions run as authentik runs them (authentik/lib/expression/evaluator.py BaseEvaluator,
 * authentik/core/expression/evaluator.py PropertyMappingEvaluator): real Python (pyodide, loaded once, lazily),
 * the expression wrapped in a function, over shims of the objects authentik passes (`request`, `request.user`,
 * `user`, `provider`, `token`, `http_request`). Touching anything not shimmed fails loudly, naming the mapping and
 * the attribute. The shims live in python/ak_emulator/; getClaims (claims.ts) is UserInfoView.get_claims.
 */
import type { Db, ProviderRecord, ScopeMappingRecord, UserRecord } from "../../core/db";
import { ScopeMappingError, type ExpressionEvent, type PythonError } from "./errors";
import { mappingJson, worldJson, type HttpRequestContext } from "./payload";
import { pythonRuntime } from "./runtime";

export { ScopeMappingError, type ExpressionEvent, type ScopeMappingErrorKind } from "./errors";
export type { HttpRequestContext } from "./payload";

/** What authentik passes to a scope mapping evaluated for a token (userinfo.py get_claims). */
export interface ExpressionContext {
    readonly db: Db;
    readonly user: UserRecord;
    readonly provider: ProviderRecord;
    /** the token the claims are for: its scopes (token.scope) */
    readonly token: { readonly scope: readonly string[] };
    /**
     * The HTTP request of the userinfo / token call (mapping.evaluate(request=self.request)): becomes
     * `request.http_request` and the `http_request` variable. Absent: both are None / not defined, as when
     * authentik evaluates with request=None.
     */
    readonly httpRequest?: HttpRequestContext;
}

export interface EvaluateOptions {
    /**
     * How the result is turned into JSON. "django" (default): DjangoJSONEncoder, the userinfo response's
     * (TokenResponse is a JsonResponse): also UUID, datetime, date, time, timedelta, Decimal. "json": plain
     * json.dumps, what claims in the ID token go through (PyJWT, AccessToken.id_token): JSON's own types only.
     */
    readonly encoder?: "django" | "json";
}

interface PythonAnswer {
    readonly events: ExpressionEvent[];
    readonly value?: unknown;
    readonly error?: PythonError;
}

export function runtimePayload(context: ExpressionContext, options: EvaluateOptions | undefined): Record<string, unknown> {
    return { world: worldJson(context), encoder: options?.encoder ?? "django" };
}

/** The value the expression returns, converted to plain JSON (dicts, lists, str, int, float, bool, None). */
export async function evaluateScopeMapping(
    mapping: ScopeMappingRecord,
    context: ExpressionContext,
    options?: EvaluateOptions,
): Promise<unknown> {
    const runtime = await pythonRuntime();
    const payload = { ...runtimePayload(context, options), mapping: mappingJson(mapping) };
    const answer = JSON.parse(runtime.evaluate(JSON.stringify(payload))) as PythonAnswer;
    if (answer.error) throw new ScopeMappingError(mapping.name, answer.error);
    return answer.value;
}
