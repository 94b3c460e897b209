/**
 * The IotJob provider object (./iot/provider) as this module's whole `module.exports`, at the path installed states
 * store (`require("pulumi-importexport/dist/provider/iot-job-provider.js")`), like ./import-export-provider. Keep it
 * forever (package.json `exports`).
 */
import provider from "./iot/provider";

/** The one IotJob provider instance. */
export = provider;
