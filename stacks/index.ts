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

const outputs = buildStack(config());

export const environment = outputs.environment;
export const oidc = outputs.oidc;
export const database = outputs.database;
export const authentikDatabase = outputs.authentikDatabase;
export const authentikEnv = outputs.authentikEnv;
export const groups = outputs.groups;
export const access = outputs.access;
export const testUsers = outputs.testUsers;
export const testUserPasswords = outputs.testUserPasswords;
export const appEnv = outputs.appEnv;
export const envFile = outputs.envFile;
