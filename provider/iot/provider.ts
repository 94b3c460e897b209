/**
 * The IotJob provider object as this module's whole `module.exports`, like the ImportExportJob's
 * (../importexport/provider; ../core/serialized explains why): an installed package stores
 * `require("pulumi-importexport/dist/provider/iot-job-provider.js")` (../iot-job-provider). Its implementation is
 * `pulumi-importexport/iot-runtime` (./runtime).
 */
import { join } from "node:path";
import { lazyProvider } from "../core/serialized";

/** The one IotJob provider instance. */
export = lazyProvider("pulumi-importexport/iot-runtime", join(__dirname, "runtime"));
