import type { DrfErrors } from "./drf";
import { MSG } from "./drf";

/** An HTTP error answered with a JSON body, as DRF's exception handler renders APIExceptions. */
export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly body: unknown,
    ) {
        super(`HTTP ${status}: ${JSON.stringify(body)}`);
    }
}

/** DRF ValidationError: 400 with the detail as body (a dict keyed by field, or a list). */
export class ValidationFailed extends ApiError {
    constructor(readonly errors: DrfErrors) {
        super(400, errors);
    }
}

/**
 * 404 from a lookup. DRF ≥ 3.15 keeps Django's Http404 message when converting it to
 * NotFound ("No Application matches the given query."); a lookup value the pk field
 * cannot even parse makes DRF's get_object_or_404 raise a bare Http404 ("Not found.").
 */
export class NotFound extends ApiError {
    constructor(detail: string = MSG.notFound) {
        super(404, { detail });
    }
}

export function noMatch(objectName: string): NotFound {
    return new NotFound(`No ${objectName} matches the given query.`);
}

export class Forbidden extends ApiError {
    constructor(detail: string) {
        super(403, { detail });
    }
}
