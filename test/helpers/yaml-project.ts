/**
 * A Pulumi YAML project directory in tests, set up as a user's project is: it names the native plugin as an
 * installed package's project does, `plugins: providers: [{ name: importexport, path:
 * ./node_modules/pulumi-importexport/bin }]`, and gets what `npm install pulumi-importexport` would give it:
 * `node_modules/pulumi-importexport`, here a link to this repository (whose `bin/` and `dist/` are the package's).
 * So a YAML program from examples/ runs unchanged.
 */
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { findYamlHost, yamlHostDirs } from "../../scripts/yaml-host.cjs";
import { createProgramStack, pulumiBinDir, repoRoot, type ProgramStack, type ProgramStackOptions } from "../engine/harness";

/**
 * The YAML language host the engine will run: beside `pulumi` in the harness's directory, or on PATH (where the
 * engine looks first). Throws, saying what is missing and how to get it, when there is none. The one check every
 * YAML test makes before it runs a program (test/engine/yaml-harness.ts, examples-yaml, demo-yaml, yaml-npm), so
 * a machine without the host gets this message rather than the engine's plugin-lookup error.
 */
export function requireYamlHost(): string {
  return yamlHostIn(yamlHostDirs(pulumiBinDir()));
}

/** The first `pulumi-language-yaml` in `dirs`; throws the message of {@link requireYamlHost} when none has one. */
export function yamlHostIn(dirs: readonly string[]): string {
  const found = findYamlHost(dirs);
  if (found) return found;
  throw new Error(
    "pulumi-language-yaml (the Pulumi YAML language host) is missing: YAML programs cannot run. " +
      "Install Go >= 1.24 and run scripts/pulumi-cli (it builds github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v1.25.0 " +
      `beside pulumi in ${dirs[0] ?? "its cache"}), or put the pulumi-language-yaml of a Pulumi CLI install on PATH.`,
  );
}

/** Makes `<projectDir>/node_modules/pulumi-importexport` this repository, as `npm install pulumi-importexport` would. */
export function linkPackage(projectDir: string): void {
  const nodeModules = join(projectDir, "node_modules");
  mkdirSync(nodeModules, { recursive: true });
  const link = join(nodeModules, "pulumi-importexport");
  rmSync(link, { recursive: true, force: true });
  symlinkSync(repoRoot, link, "dir");
}

/** A stack of a copy of a YAML project directory (e.g. `examples/yaml-quickstart`), its package linked in. */
export async function createYamlFixtureStack(options: ProgramStackOptions): Promise<ProgramStack> {
  requireYamlHost();
  const ws = await createProgramStack(options);
  linkPackage(ws.workDir);
  return ws;
}
