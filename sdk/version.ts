/**
 * The package's version, read once from its package.json, so the SDK's User-Agent and the CLI's `--version` can
 * never disagree with the published version.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

let cached: string | undefined;

/**
 * The version of the nearest package.json named `pulumi-importexport` at or above `from` (default: this file's
 * directory, i.e. the source tree, dist/, or the installed package); `0.0.0` when there is none (a bundler moved the
 * code away from it).
 */
export function packageVersion(from?: string): string {
  if (from === undefined && cached !== undefined) return cached;
  let dir = from ?? __dirname;
  let version = "0.0.0";
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-importexport" && pkg.version) {
        version = pkg.version;
        break;
      }
    } catch {
      // Not here: look one directory up.
    }
    dir = dirname(dir);
  }
  if (from === undefined) cached = version;
  return version;
}
