/** `npm run blueprint`: a stack's Authentik objects as an authentik blueprint (logic; scripts/blueprint.ts parses flags). */
import { writeFileSync } from "node:fs";
import { renderBlueprint } from "../../../infra/blueprint/render";
import { parseStackConfig } from "../../../infra/config/parse";
import { readStackFileSettings } from "./stack-file";

export interface BlueprintCommand {
    readonly projectDir: string;
    readonly stack: string;
    readonly configFile?: string;
    /** Write here (mode 0644; it holds no secret) instead of stdout. */
    readonly out?: string;
}

/** Renders the blueprint; returns the YAML and where it went. Config errors throw ConfigError with every bad key. */
export function runBlueprint(command: BlueprintCommand): { yaml: string; written?: string } {
    const settings = readStackFileSettings(command.projectDir, command.stack, command.configFile);
    const config = parseStackConfig(settings.raw, { stack: command.stack, secretPaths: settings.secretPaths });
    const yaml = renderBlueprint(config, { project: settings.project, stack: command.stack });
    if (command.out === undefined) return { yaml };
    writeFileSync(command.out, yaml, { mode: 0o644 });
    return { yaml, written: command.out };
}
