import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "../infra/config/load";
import { ConfigError } from "../infra/config/parse";
import { buildStack } from "./build";

// Config is validated before any resource is declared: a bad stack file applies nothing.
function config() {
    try {
        return loadStackConfig();
    } catch (error) {
        // RunError: Pulumi prints the message alone, without a stack trace.
        if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
}

const { envFile, ...outputs } = buildStack(config());

// A stack without an env file has no `envFile` output at all (an undefined export would warn on every run).
export = envFile === undefined ? outputs : { ...outputs, envFile };
