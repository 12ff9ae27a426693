/** ChallengeStageView (authentik/flows/stage.py): what every challenge stage does with an invalid response. */
import type { JsonObject } from "../../../core/fields";
import { withErrors, type ResponseErrors } from "../challenge";
import type { FlowExecutor, StageResult } from "../executor";
import type { PlanBinding } from "../plan";

/**
 * post() with an invalid response: restart the flow when the binding's invalid_response_action says so, else
 * challenge_invalid(): the challenge again with `response_errors`.
 */
export function challengeInvalid(ex: FlowExecutor, binding: PlanBinding, challenge: JsonObject, errors: ResponseErrors): StageResult {
    const action = binding.invalidResponseAction;
    if (action === "restart" || action === "restart_with_context") return ex.restartFlow(action === "restart_with_context");
    return { kind: "challenge", body: withErrors(challenge, errors) };
}

export function challengeResult(body: JsonObject): StageResult {
    return { kind: "challenge", body };
}
