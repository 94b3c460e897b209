/**
 * The ImportExportJob provider object (./importexport/provider) as this module's whole `module.exports`, at the path
 * installed states store: Pulumi writes `require("pulumi-importexport/dist/provider/import-export-provider.js")` into
 * every resource's state (./core/serialized explains when). The serializer stores the first module in `require.cache`
 * whose exports are the object, so the package entry (./index) loads this module before the resource class: the
 * stored path stays this one, readable by every release, older ones too. Keep it forever (package.json `exports`).
 */
import provider from "./importexport/provider";

/** The one ImportExportJob provider instance. */
export = provider;
