/**
 * Loading one of this package's own modules on first use, without starting Node's ESM loader.
 *
 * A dynamic `import()` in a CommonJS file goes through the ESM loader: the first one in a process starts it and scans
 * the module for its exports, about 25 ms more CPU than `require` in a provider process, paid on the first create of
 * every `up` (docs/performance.md). So the built package `require`s. The TypeScript sources, as vitest runs them,
 * have no `.js` file beside them for `require` to find; there, and only when the module itself is what is missing,
 * `import()` loads it. Packages (the AWS SDK's clients, the credential chain) resolve from node_modules either way,
 * so their callers `require` them directly.
 */

/** The two ways to load one module: both name the same file, relative to the caller. */
export interface OwnModuleLoaders<T> {
  /** A `require` of the module's emitted file, written in the calling module so that the path resolves from there. */
  readonly require: () => unknown;
  /** An `import()` of the same file. */
  readonly import: () => Promise<T>;
}

/** Loads the module with `require`, or with `import()` when `require` cannot find the file (sources under vitest). */
export async function loadOwnModule<T>(loaders: OwnModuleLoaders<T>): Promise<T> {
  try {
    return loaders.require() as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException | undefined)?.code !== "MODULE_NOT_FOUND") throw e;
    return loaders.import();
  }
}
