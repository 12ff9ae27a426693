/** The local docker runtime (dev and test): PostgreSQL, Authentik and the app in containers, with @pulumi/docker. */
export { GatehouseRuntime, type GatehouseRuntimeArgs, type RuntimePostgresSettings } from "./component";
export { RuntimeAuthentik, type MountedBrandFile, type RuntimeAuthentikArgs } from "./authentik";
export { RuntimeApp, type RuntimeAppArgs } from "./app";
export { AuthentikReady, waitForAuthentik, type AuthentikReadyArgs } from "./ready";
export { appRuntimeArgs, authentikRuntimeArgs, mountedBrandFiles, runtimeArgs, runtimeIdentity, type RuntimeIdentity } from "./args";
