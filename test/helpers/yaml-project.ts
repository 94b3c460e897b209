/**
 * Pulumi YAML programs in engine tests: a stack of a YAML project (a fixture directory, or a program written into a
 * temporary directory) that finds the native plugin the way a user's project does.
 *
 * The YAML programs here name the plugin as an installed package's project names it,
 * `plugins: providers: [{ name: importexport, path: ./node_modules/pulumi-importexport/bin }]`. The program copy
 * gets what `npm install pulumi-importexport` would give it: `node_modules/pulumi-importexport`, here a link to
 * this repository (whose `bin/` and `dist/` are the package's). So the YAML files run unchanged.
 */
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { createProgramStack, pulumiBinDir, repoRoot, type ProgramStack, type ProgramStackOptions } from "../engine/harness";

/**
 * The YAML language host the engine will run: beside `pulumi` in the harness's directory, or on PATH (where the
 * engine looks first). Throws, saying what is missing and how to get it, when there is none.
 */
export function requireYamlHost(): string {
  const dirs = [pulumiBinDir(), ...(process.env["PATH"] ?? "").split(delimiter).filter(Boolean)];
  const found = dirs.map((d) => join(d, "pulumi-language-yaml")).find((f) => existsSync(f));
  if (found) return found;
  throw new Error(
    "pulumi-language-yaml (the Pulumi YAML language host) is missing: YAML programs cannot run. " +
      "Install Go >= 1.24 and run scripts/pulumi-cli (it builds github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v1.25.0 " +
      `beside pulumi in ${pulumiBinDir()}), or put the pulumi-language-yaml of a Pulumi CLI install on PATH.`,
  );
}

/** Makes `<programDir>/node_modules/pulumi-importexport` this repository, as `npm install pulumi-importexport` would. */
export function linkPackage(programDir: string): void {
  const nodeModules = join(programDir, "node_modules");
  mkdirSync(nodeModules, { recursive: true });
  const link = join(nodeModules, "pulumi-importexport");
  rmSync(link, { recursive: true, force: true });
  symlinkSync(repoRoot, link, "dir");
}

/** Options for {@link createYamlStack}: a fixture directory, or `program` (the Pulumi.yaml text) to write. */
export type YamlStackOptions = (Omit<ProgramStackOptions, "fixture"> & { readonly fixture: string }) | (Omit<ProgramStackOptions, "fixture"> & { readonly program: string });

function stackOptions(options: YamlStackOptions): Omit<ProgramStackOptions, "fixture"> {
  const rest: Record<string, unknown> = { ...options };
  delete rest["program"];
  delete rest["fixture"];
  return rest as Omit<ProgramStackOptions, "fixture">;
}

/**
 * A stack of a YAML project, its package linked in. With `program`, the project is that Pulumi.yaml text in a
 * directory of its own; with `fixture`, a copy of the fixture directory (e.g. `examples/yaml-quickstart`).
 */
export async function createYamlStack(options: YamlStackOptions): Promise<ProgramStack> {
  requireYamlHost();
  let fixture: string;
  let scratch: string | undefined;
  if ("program" in options) {
    scratch = join(repoRoot, ".tmp", "yaml-projects", `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(scratch, { recursive: true });
    writeFileSync(join(scratch, "Pulumi.yaml"), options.program);
    fixture = scratch;
  } else {
    fixture = options.fixture;
  }
  try {
    const ws = await createProgramStack({ ...stackOptions(options), fixture });
    linkPackage(ws.workDir);
    return ws;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
