/** Every checklist item, in guide order; docs/hardening.md lists the same ids (test/scripts/audit.test.ts keeps them in step). */
import { AUTH } from "./auth";
import { REDIFLOW } from "./rediflow";
import { SENTINEL } from "./sentinel";
import { SEQN } from "./seqn";
import type { ChecklistItem } from "./types";

export type { ChecklistItem, CheckId, Mapping } from "./types";

export const CHECKLIST: readonly ChecklistItem[] = [...REDIFLOW, ...SENTINEL, ...SEQN, ...AUTH];

export const GUIDES: Readonly<Record<string, string>> = {
    RF: "Rediflow: Security deployment hardening",
    RA: "Rediflow: Authentik setup and integration",
    SA: "Sentinel Auth: Production Checklist",
    SQ: "SEQN Auth: Hardening Guide",
    AU: "Auth: Security",
};
