/**
 * What can go wrong when a scope mapping runs, as one error class naming the mapping. `kind` says how authentik
 * itself treats it, so a caller (the OAuth2 endpoints) can do the same: see `skippedByAuthentik`.
 */

export type ScopeMappingErrorKind =
    /** the expression does not compile (SyntaxError/ValueError from compile()) */
    | "syntax"
    /** the expression raised an Exception */
    | "exception"
    /** the expression raised a ControlFlowException (`raise SkipObject`): PropertyMapping.evaluate re-raises it */
    | "control_flow"
    /** a BaseException that is no Exception (SystemExit, …): authentik's evaluator does not catch it */
    | "uncaught"
    /** the expression touched something the emulator's shims do not cover: no authentik behaviour to mirror */
    | "not_emulated"
    /** the result cannot be JSON-encoded (authentik would fail while writing the response) */
    | "not_serializable";

/** An Event authentik records while evaluating (action and Event.context); the emulator keeps no event log. */
export interface ExpressionEvent {
    readonly action: "property_mapping_exception" | "configuration_error" | "configuration_warning";
    readonly context: Readonly<Record<string, unknown>>;
}

/** The error as the Python side reports it. */
export interface PythonError {
    readonly kind: ScopeMappingErrorKind;
    /** exception class name (SyntaxError, NameError, RelatedObjectDoesNotExist, …) */
    readonly type?: string;
    readonly message?: string;
    /** authentik's exception_to_string(): the traceback text its property_mapping_exception event stores */
    readonly traceback?: string;
    /** not_emulated: the access that was refused (`request.user.foo`, `import django`, `requests.get`) */
    readonly what?: string;
    /** not_emulated: what that object's shim does emulate */
    readonly covered?: readonly string[];
}

export class ScopeMappingError extends Error {
    readonly kind: ScopeMappingErrorKind;
    readonly pythonType: string | undefined;
    readonly pythonMessage: string | undefined;
    readonly traceback: string | undefined;

    constructor(
        readonly mapping: string,
        error: PythonError,
    ) {
        super(describe(mapping, error));
        this.name = "ScopeMappingError";
        this.kind = error.kind;
        this.pythonType = error.type;
        this.pythonMessage = error.message;
        this.traceback = error.traceback;
    }

    /**
     * True when authentik's UserInfoView.get_claims (also used for the ID token) would catch this and go on without
     * the mapping (PropertyMappingExpressionException: events property_mapping_exception + configuration_error).
     * control_flow and uncaught propagate out of get_claims there (the request fails: HTTP 500).
     */
    get skippedByAuthentik(): boolean {
        return this.kind === "syntax" || this.kind === "exception";
    }
}

function describe(mapping: string, error: PythonError): string {
    const prefix = `scope mapping "${mapping}"`;
    if (error.kind === "not_emulated") {
        const covered = (error.covered ?? []).join(", ");
        return `${prefix}: ${error.what} is not emulated (the emulator's expression shims cover: ${covered})`;
    }
    if (error.kind === "not_serializable") return `${prefix}: the result is not JSON serializable: ${error.message}`;
    return `${prefix}: ${error.type}: ${error.message}`;
}
