/**
 * authentik's UserInfoView.get_claims (authentik/providers/oauth2/views/userinfo.py), which both the userinfo
 * endpoint and the ID token (id_token.py, when include_claims_in_id_token) use:
 * - the provider's scope mappings whose scope_name the token carries, ordered by scope_name;
 * - each evaluated with user=token.user, request=<the HTTP request>, provider, token;
 * - one that raises is logged and skipped (events property_mapping_exception, from the evaluator's
 *   handle_error, and configuration_error "Failed to evaluate property-mapping: '<name>'");
 * - None and non-dict results are skipped; dicts are deep-merged (always_merger: lists appended).
 * SkipObject (a ControlFlowException) and non-Exception errors escape get_claims there (HTTP 500): here they
 * throw a ScopeMappingError, as do anything not emulated and a result that cannot be JSON-encoded.
 */
import type { ScopeMappingRecord } from "../../core/db";
import { ScopeMappingError, type ExpressionEvent, type PythonError } from "./errors";
import { runtimePayload, type EvaluateOptions, type ExpressionContext } from "./evaluate";
import { mappingJson } from "./payload";
import { pythonRuntime } from "./runtime";

export interface SkippedMapping {
    readonly mapping: string;
    /** "exception": it raised (authentik logs "Failed to evaluate property mapping"); "not_a_dict": it returned
     * something other than a dict or None ("Scope returned a non-dict value, ignoring") */
    readonly reason: "exception" | "not_a_dict";
    /** for "exception": the error, as evaluateScopeMapping would have thrown it */
    readonly error?: ScopeMappingError;
    /** for "not_a_dict": the Python type of the value */
    readonly type?: string;
}

export interface ClaimsResult {
    /** the merged claims (without `sub` / `nonce`, which the views add) */
    readonly claims: Record<string, unknown>;
    /** events authentik would record, in order (the emulator keeps no event log: log or ignore them) */
    readonly events: readonly ExpressionEvent[];
    readonly skipped: readonly SkippedMapping[];
}

interface PythonClaims {
    readonly events: ExpressionEvent[];
    readonly value?: Record<string, unknown>;
    readonly skipped?: { mapping: string; reason: "exception" | "not_a_dict"; error?: PythonError; type?: string }[];
    readonly error?: PythonError;
    readonly mapping?: string;
}

const collator = new Intl.Collator("en", { sensitivity: "variant", numeric: false });

/** ScopeMapping.objects.filter(provider=provider, scope_name__in=token.scope).order_by("scope_name") */
export function scopeMappingsFor(context: ExpressionContext): ScopeMappingRecord[] {
    const scopes = new Set(context.token.scope);
    return context.provider.property_mappings
        .map((pk) => context.db.scopeMappings.get(pk))
        .filter((m): m is ScopeMappingRecord => m !== undefined && scopes.has(m.scope_name))
        .sort((a, b) => collator.compare(a.scope_name, b.scope_name));
}

export async function getClaims(context: ExpressionContext, options?: EvaluateOptions): Promise<ClaimsResult> {
    const mappings = scopeMappingsFor(context);
    const runtime = await pythonRuntime();
    const payload = { ...runtimePayload(context, options), mappings: mappings.map(mappingJson) };
    const answer = JSON.parse(runtime.claims(JSON.stringify(payload))) as PythonClaims;
    if (answer.error) {
        throw new ScopeMappingError(answer.mapping ?? `(claims of provider "${context.provider.name}")`, answer.error);
    }
    const skipped = (answer.skipped ?? []).map((s) => ({
        mapping: s.mapping,
        reason: s.reason,
        ...(s.error ? { error: new ScopeMappingError(s.mapping, s.error) } : {}),
        ...(s.type ? { type: s.type } : {}),
    }));
    return { claims: answer.value ?? {}, events: answer.events, skipped };
}
