/**
 * The provider objects Pulumi serializes into every ImportExportJob's and IotJob's state (design.md, principle 3),
 * and the choice of how they are stored.
 *
 * Pulumi's closure serializer stores a captured object in one of two ways. If the object is some module's whole
 * `module.exports` and that module's file lies under a `node_modules` directory, it stores `require("<package>/<path>")`
 * (the path mapped through the package.json `exports`): about 300 bytes of text in all. Otherwise it copies the object by value,
 * with every function it references that is not such a module. So each provider object is the whole `module.exports`
 * of a small module of its own (../import-export-provider, ../iot-job-provider, exported under their dist paths), and
 * `providerForState` passes Pulumi that module object only where the reference is sure to work; everywhere else it
 * passes a plain copy, which is stored by value.
 *
 * By value (the package linked or vendored, so its real path is outside node_modules, as in this repo's own tests;
 * or a layout the serializer maps wrongly, such as pnpm's node_modules/.pnpm, pulumi/pulumi#10009) the object must
 * still be tiny: it references nothing but `require` (never captured: a module-wrapper local the serializer leaves
 * alone), two strings, and one small function: each method loads the implementation (../importexport/runtime,
 * ../iot/runtime) in the provider process at call time and delegates. The state then holds ~2.4 KB of glue instead
 * of undici, fast-xml-parser, yaml
 * and the AWS SDK — and no client, config value or credential can be captured, because none is in reach.
 *
 * Where the code is found: the provider process loads the stored text with require-from-string and an empty file
 * name, so `require` resolves from its working directory — the program's directory, whose node_modules (or an
 * ancestor's) holds this package. A stored reference is therefore only used when that resolution, from the
 * program's directory, yields this very file. By value, the methods require the implementation by package name
 * (`pulumi-importexport/provider-runtime`), which finds the version the program installed, also after the package
 * is upgraded; a program that loads the package by relative path or from outside its own node_modules (a monorepo,
 * a global install) cannot resolve the name from its directory, so the absolute path of the runtime, computed when
 * the program ran, is the fallback. It is a plain path string, not a secret, and it is only tried after the name
 * failed. A stored reference loads the provider module itself, which resolves the runtime the same way from its
 * own location.
 */
import { existsSync, realpathSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** What a provider runtime module exports (../importexport/runtime, ../iot/runtime). */
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

/** This package's name: the directory under node_modules the serializer's reference must name. */
const PACKAGE = "pulumi-importexport";

/**
 * True when Pulumi would store `provider` as a `require()` that works in the provider process. This follows the
 * serializer (createClosure.js `findNormalizedModuleNameAsync`, `captureModuleAsync`): the first module in
 * `require.cache` whose exports are `provider`, its path relative to the working directory, the part after the first
 * `node_modules` as the specifier. That part must start with this package's own directory (otherwise the serializer
 * maps it through the wrong package.json, or throws, as under pnpm), and the part before it may only climb (`..`).
 * The provider process resolves the specifier from the working directory with no package scope of its own, i.e. in
 * the nearest `node_modules/pulumi-importexport` up the tree, which must be this very package (not a closer copy).
 * The exports entry is the file's own dist path, so the serializer's package.json lookup, which can miss (it
 * resolves the package from @pulumi/pulumi's location), yields the same specifier whether or not it finds one.
 */
function storedAsReference(provider: dynamic.ResourceProvider): boolean {
  const file = Object.keys(require.cache).find((path) => require.cache[path]?.exports === provider);
  if (file === undefined) return false;
  const cwd = process.cwd();
  const parts = relative(cwd, file).split(sep);
  const at = parts.indexOf("node_modules");
  if (at < 0 || parts[at + 1] !== PACKAGE || parts.slice(0, at).some((p) => p !== "..")) return false;
  const installed = join(cwd, ...parts.slice(0, at + 2));
  for (let dir = cwd; ; dir = dirname(dir)) {
    const nearest = join(dir, "node_modules", PACKAGE);
    if (existsSync(nearest)) return realpathSync(nearest) === realpathSync(installed);
    if (dirname(dir) === dir) return false;
  }
}

const forState = new WeakMap<dynamic.ResourceProvider, dynamic.ResourceProvider>();

/**
 * The object to hand `pulumi.dynamic.Resource` for `provider` (a provider module's whole `module.exports`): the
 * module object itself when Pulumi will store it as a working `require()` of the installed package, else one plain
 * copy, stored by value. Decided once per provider and then always the same object, because Pulumi caches the
 * serialized text per provider object.
 */
export function providerForState(provider: dynamic.ResourceProvider): dynamic.ResourceProvider {
  let chosen = forState.get(provider);
  if (chosen === undefined) {
    chosen = storedAsReference(provider) ? provider : { ...provider };
    forState.set(provider, chosen);
  }
  return chosen;
}
