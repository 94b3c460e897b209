/**
 * `pulumi-importexport/iot`: AWS IoT jobs as Pulumi resources (`IotJob`), with the same update-vs-replace mechanism
 * as `ImportExportJob` and a second policy table (docs/iot.md). (The entry is not named `iot.ts`, so that it stands
 * apart from the ./iot folder it loads.)
 */
// First, so that Pulumi stores the provider as a require() of this path (./iot-job-provider says why).
import "./iot-job-provider";

export { IotJob } from "./iot/resource";
export type { IotJobArgs, IotJobStatus } from "./iot/resource";
export type { IotAbortConfig, IotRolloutConfig } from "./iot/definition";
