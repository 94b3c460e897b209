/**
 * The IotJob provider object (./iot/provider) as this module's whole `module.exports`, at the path installed states
 * store (`require("pulumi-importexport/dist/provider/iot-job-provider.js")`), loaded by the package entry (./iot)
 * before the resource class, like ./import-export-provider. Keep it forever (package.json `exports`).
 */
import provider from "./iot/provider";

/** The one IotJob provider instance. */
export = provider;
