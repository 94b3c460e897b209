/**
 * The provider object Pulumi serializes into every ImportExportJob's state (design.md, principle 3).
 *
 * Pulumi's closure serializer copies by value everything a provider's methods reference that is not a module under
 * node_modules — and this package's own files are exactly that when a program links or vendors it. So the object
 * below references nothing but `require` (never captured: it is a module-wrapper local the serializer leaves
 * alone), one string, and one small function: each method loads the implementation (./runtime) in the provider
 * process at call time and delegates. The state then holds a few hundred bytes of glue instead of undici,
 * fast-xml-parser, yaml and the AWS SDK — and no client, config value or credential can be captured, because none is
 * in reach.
 *
 * Where the implementation is found: the provider process loads this text with require-from-string and an empty
 * file name, so `require` resolves from its working directory — the program's directory, whose node_modules holds
 * this package. Requiring by package name (`pulumi-importexport/provider-runtime`) therefore finds the version the
 * program installed, also after the package is upgraded. A program that loads the package by relative path or from
 * outside its own node_modules (a monorepo, a global install) cannot resolve the name from its directory, so the
 * absolute path of this file's sibling, computed when the program ran, is the fallback. It is a plain path string,
 * not a secret, and it is only tried after the name failed.
 */
import { join } from "node:path";
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** What a provider runtime module exports (./runtime, ./iot-runtime). */
type Runtime = Required<Pick<dynamic.ResourceProvider, "configure" | "check" | "diff" | "read" | "update" | "delete">> & Pick<dynamic.ResourceProvider, "create">;

/**
 * A provider whose methods load the runtime module `specifier` (a package subpath) in the provider process, falling
 * back to `fallbackPath` (the absolute path of the same module in the package the program loaded) only when the
 * name does not resolve; an error inside the runtime itself surfaces. Only the two strings and `require` are
 * captured. (Comments inside the body would be serialized into every resource's state, twice, so they live here;
 * for the same reason the methods take rest arguments and the loader has a short name: each byte is stored twice
 * per resource and decoded in every check and diff.)
 */
export function lazyProvider(specifier: string, fallbackPath: string): dynamic.ResourceProvider {
  const load = (): Runtime => {
    try {
      return require(specifier) as Runtime;
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (err.code !== "MODULE_NOT_FOUND" || !String(err.message).includes(specifier)) throw e;
      return require(fallbackPath) as Runtime;
    }
  };
  return {
    configure: (...a: Parameters<Runtime["configure"]>) => load().configure(...a),
    check: (...a: Parameters<Runtime["check"]>) => load().check(...a),
    diff: (...a: Parameters<Runtime["diff"]>) => load().diff(...a),
    create: (...a: Parameters<Runtime["create"]>) => load().create(...a),
    read: (...a: Parameters<Runtime["read"]>) => load().read(...a),
    update: (...a: Parameters<Runtime["update"]>) => load().update(...a),
    delete: (...a: Parameters<Runtime["delete"]>) => load().delete(...a),
  };
}

/** The one module-level provider instance (Pulumi caches its serialized text per object, so keep it unique). */
export const importExportJobProvider: dynamic.ResourceProvider = lazyProvider("pulumi-importexport/provider-runtime", join(__dirname, "runtime"));
