/** Reading a config that may be only partly valid (rules run even when other settings are invalid). */
import type { z } from "zod";
import { ENVIRONMENTS, type Environment } from "../constants";

/** Reads a setting: anything of the wrong shape reads as undefined. */
export function at(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) current = current !== null && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined;
    return current;
}
export const stringAt = (value: unknown, ...path: string[]) => (typeof at(value, ...path) === "string" ? (at(value, ...path) as string) : undefined);
export const listAt = (value: unknown, ...path: string[]) => (Array.isArray(at(value, ...path)) ? (at(value, ...path) as unknown[]) : []);
export const stringsAt = (value: unknown, ...path: string[]) => listAt(value, ...path).filter((v): v is string => typeof v === "string");

/** The environment, when valid (an invalid one is reported by the schema itself; no rule applies to it). */
export function environmentOf(cfg: unknown): Environment | undefined {
    const given = stringAt(cfg, "environment");
    return given !== undefined && (ENVIRONMENTS as readonly string[]).includes(given) ? (given as Environment) : undefined;
}

export type Issue = (path: (string | number)[], message: string) => void;

export function issuer(refine: z.RefinementCtx): Issue {
    return (path, message) => refine.addIssue({ code: "custom", path, message });
}
