/**
 * What every challenge carries (authentik/flows/stage.py ChallengeStageView._get_challenge, flows/challenge.py):
 * `flow_info` (title with the flow's %(app)s / %(user)s placeholders filled, background, cancel_url, layout) and,
 * for WithUserInfoChallenge, `pending_user` and `pending_user_avatar`.
 */
import type { JsonObject } from "../../core/fields";
import { DEFAULT_FLOW_BACKGROUND } from "../../kinds/flows";
import { DEFAULT_AVATAR } from "../../kinds/users";
import type { FlowExecutor } from "./executor";
import type { PendingUser } from "./plan";

/** reverse("authentik_flows:cancel") */
export const CANCEL_URL = "/flows/-/cancel/";

/** Python's `title % {"app": ..., "user": ...}`; any other placeholder fails, and authentik then keeps the title. */
function formatTitle(title: string, values: Record<string, string>): string {
    let out = "";
    for (let i = 0; i < title.length; i++) {
        const char = title[i];
        if (char !== "%") {
            out += char;
            continue;
        }
        if (title[i + 1] === "%") {
            out += "%";
            i++;
            continue;
        }
        const m = /^\(([^)]*)\)s/.exec(title.slice(i + 1));
        if (!m || !((m[1] as string) in values)) return title; // KeyError / ValueError: "failed to template title"
        out += values[m[1] as string];
        i += m[0].length;
    }
    return out;
}

/** StageView.get_pending_user(for_display) */
export function pendingUserForDisplay(ex: FlowExecutor): PendingUser | undefined {
    const context = ex.plan?.context;
    if (context?.pending_user_identifier !== undefined) {
        return { pk: null, username: context.pending_user_identifier, email: "" };
    }
    if (context?.pending_user) return context.pending_user;
    const user = ex.ctx.user;
    return user ? { pk: user.pk, username: user.username, email: user.email } : undefined;
}

export function flowInfo(ex: FlowExecutor): JsonObject {
    const flow = ex.flow;
    let title = flow.title;
    if (ex.plan) {
        const appPk = ex.plan.context.application;
        const app = appPk ? ex.ctx.db.applications.get(appPk) : undefined;
        title = formatTitle(flow.title, { app: app?.name ?? "", user: pendingUserForDisplay(ex)?.username ?? "" });
    }
    return {
        title,
        background: flow.background || DEFAULT_FLOW_BACKGROUND,
        cancel_url: CANCEL_URL,
        layout: flow.layout,
    };
}

/** A challenge as _get_challenge completes it; `withUser` for WithUserInfoChallenge subclasses. */
export function challenge(ex: FlowExecutor, body: JsonObject, withUser: boolean): JsonObject {
    const out: JsonObject = { ...body, flow_info: flowInfo(ex) };
    if (withUser) {
        // an anonymous request.user has the username "" and the default avatar
        out.pending_user = pendingUserForDisplay(ex)?.username ?? "";
        out.pending_user_avatar = DEFAULT_AVATAR;
    }
    return out;
}

/** DRF field error as ChallengeStageView.challenge_invalid reports it */
export interface FieldError {
    readonly string: string;
    readonly code: string;
}

export type ResponseErrors = Record<string, FieldError[]>;

/** challenge_invalid: the same challenge again, with response_errors */
export function withErrors(body: JsonObject, errors: ResponseErrors): JsonObject {
    return { ...body, response_errors: errors as unknown as JsonObject };
}
