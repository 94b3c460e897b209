/**
 * The provider object Pulumi serializes into every IotJob's state: like the ImportExportJob's (./serialized, which
 * explains why it must stay tiny), it only loads the implementation, `pulumi-importexport/iot-runtime`, in the
 * provider process at call time.
 */
import { join } from "node:path";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { lazyProvider } from "./serialized";

/** The one module-level IotJob provider instance. */
export const iotJobProvider: dynamic.ResourceProvider = lazyProvider("pulumi-importexport/iot-runtime", join(__dirname, "iot-runtime"));
