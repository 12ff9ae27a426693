/** Stage views by stage type (Stage.view): the stored stages of the default flows and the in-memory ones. */
import { fulfillmentStage, FULFILLMENT_STAGE } from "../../oauth2/fulfillment";
import { SESSION_END_STAGE } from "../../oauth2/endSession";
import type { StageView } from "../executor";
import { STAGE } from "../models";
import { consentStage } from "./consent";
import { identificationStage } from "./identification";
import { authenticatorValidateStage, userLoginStage, userLogoutStage } from "./login";
import { passwordStage } from "./password";
import { sessionEndStage } from "./sessionEnd";

const VIEWS: Record<string, StageView> = {
    [STAGE.identification]: identificationStage,
    [STAGE.password]: passwordStage,
    [STAGE.authenticatorValidate]: authenticatorValidateStage,
    [STAGE.userLogin]: userLoginStage,
    [STAGE.userLogout]: userLogoutStage,
    [STAGE.consent]: consentStage,
    [FULFILLMENT_STAGE]: fulfillmentStage,
    [SESSION_END_STAGE]: sessionEndStage,
};

/** A stage type the emulator has no view for answers like an unknown stage class (stage_invalid) */
export function stageView(type: string): StageView | undefined {
    return VIEWS[type];
}
