/**
 * The ImportExportJob provider object (./importexport/provider) as this module's whole `module.exports`, at the path
 * installed states store: Pulumi writes `require("pulumi-importexport/dist/provider/import-export-provider.js")` into
 * every resource's state (./core/serialized explains when). The resource hands Pulumi the object through this
 * module, so it is the first module in `require.cache` whose exports are that object and the stored path stays
 * this one, readable by every release, older ones too. Keep it forever (package.json `exports`).
 */
import provider from "./importexport/provider";

/** The one ImportExportJob provider instance. */
export = provider;
