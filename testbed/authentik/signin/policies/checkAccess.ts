/**
 * GET /api/v3/core/applications/{slug}/check_access/ (authentik/core/api/applications.py
 * ApplicationViewSet.check_access): the application's policy engine for the requesting user, or, when the
 * requesting user is a superuser, for `?for_user=<pk>`. The emulator's API token is the bootstrap token of
 * akadmin, so the requesting user is akadmin.
 *
 *     application = get_object_or_404(Application, slug=slug)
 *     for_user = request.user
 *     if request.user.is_superuser and "for_user" in request.query_params:
 *         try: for_user = User.objects.filter(pk=request.query_params.get("for_user")).first()
 *         except ValueError: raise ValidationError({"for_user": "for_user must be numerical"})
 *         if not for_user: raise ValidationError({"for_user": "User not found"})
 *     engine = PolicyEngine(application, for_user, request); engine.use_cache = False
 *     ... PolicyTestResultSerializer(PolicyResult(result.passing)), or the full result for a superuser
 */
import type { Db, UserRecord } from "../../core/db";
import { MSG } from "../../core/drf";
import { ApiError, Forbidden, noMatch } from "../../core/errors";
import type { ApiRequest, ApiResult } from "../../core/kind";
import { isSuperuser } from "../../kinds/users";
import { applicationAccess } from "./engine";

/** Python's int() over a str: surrounding whitespace, a sign, underscores between digits. */
const PY_INT_RE = /^\s*[+-]?\d(_?\d)*\s*$/;

/** The user the emulator's API token belongs to (the bootstrap token of akadmin). */
function tokenUser(db: Db): UserRecord {
    for (const user of db.users.values()) if (user.username === db.tokenUsername) return user;
    // The token is deleted with its user (Token.user: CASCADE), so its requests no longer authenticate.
    throw new Forbidden(MSG.tokenInvalid);
}

export function checkAccess(db: Db, req: ApiRequest): ApiResult {
    const application = db.applicationBySlug(req.params.slug ?? "");
    if (!application) throw noMatch("Application");
    const requester = tokenUser(db);
    const superuser = isSuperuser(db, requester);
    let forUser = requester;
    if (superuser && req.query.has("for_user")) {
        const values = req.query.getAll("for_user");
        const raw = values[values.length - 1] as string;
        // ValidationError({...}) raised in a view keeps the string value (no list around it)
        if (!PY_INT_RE.test(raw)) throw new ApiError(400, { for_user: "for_user must be numerical" });
        const found = db.users.get(Number(raw.trim().replace(/_/g, "")));
        if (!found) throw new ApiError(400, { for_user: "User not found" });
        forUser = found;
    }
    const result = applicationAccess(db, application, forUser);
    return {
        status: 200,
        body: {
            passing: result.passing,
            // only a superuser sees the engine's messages; log_messages are the structlog events captured
            // while the engine ran, which the emulator does not produce
            messages: superuser ? [...result.messages] : [],
            log_messages: [],
        },
    };
}
