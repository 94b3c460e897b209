/**
 * The IotJob provider object as this module's whole `module.exports`, like the ImportExportJob's
 * (./import-export-provider; ./serialized explains why): an installed package stores
 * `require("pulumi-importexport/dist/provider/iot-job-provider.js")`. Its implementation is
 * `pulumi-importexport/iot-runtime`.
 */
import { join } from "node:path";
import { lazyProvider } from "../core/serialized";

/** The one IotJob provider instance. */
export = lazyProvider("pulumi-importexport/iot-runtime", join(__dirname, "runtime"));
