/**
 * `pulumi-importexport/iot`: AWS IoT jobs as Pulumi resources (`IotJob`), with the same update-vs-replace mechanism
 * as `ImportExportJob` and a second policy table (docs/iot.md).
 */
export { IotJob } from "./iot/resource";
export type { IotJobArgs, IotJobStatus } from "./iot/resource";
export type { IotAbortConfig, IotRolloutConfig } from "./iot/definition";
