/**
 * The ImportExportJob provider object as this module's whole `module.exports`, handed on unchanged at the path
 * installed states store, so that Pulumi stores an installed package's provider as
 * `require("pulumi-importexport/dist/provider/import-export-provider.js")` (../import-export-provider says how,
 * ../core/serialized when, and what is stored otherwise). Its implementation is `pulumi-importexport/provider-runtime`
 * (./runtime).
 */
import { join } from "node:path";
import { lazyProvider } from "../core/serialized";

/** The one ImportExportJob provider instance (Pulumi caches its serialized text per object, so keep it unique). */
export = lazyProvider("pulumi-importexport/provider-runtime", join(__dirname, "runtime"));
