/**
 * Engine-test helper for programs using the native face: a stack of a fixture whose Pulumi.yaml names the plugin
 * directory (`plugins: providers: [{ name: importexport, path }]`), pointed at the package's bin directory.
 *
 * The fixtures write `path: ./node_modules/pulumi-importexport/bin`, the path a user's project writes; the copied
 * program lives under .tmp/ without a node_modules of its own, so the path is replaced by the same directory reached
 * through the repo's node_modules link (scripts/setup.mjs).
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { createProgramStack, pulumiBinDir, repoRoot, type ProgramStack } from "./harness";

/** The directory holding `pulumi-resource-importexport`, as a user's project reaches it. */
export const pluginDir = join(repoRoot, "node_modules", "pulumi-importexport", "bin");

/**
 * A stack of `fixture` (a TypeScript program, transpiled without a type check) whose plugin path is {@link pluginDir};
 * `env` is added to the environment of the CLI and what it starts (the plugin among them).
 */
export async function createNativeStack(fixture: string, config: ConfigMap, env: Record<string, string> = {}): Promise<ProgramStack> {
  const ws = await createProgramStack({ fixture, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true", ...env }, config });
  const yamlPath = join(ws.workDir, "Pulumi.yaml");
  writeFileSync(yamlPath, readFileSync(yamlPath, "utf8").replace(/path: \S+/, `path: ${pluginDir}`));
  return ws;
}

/**
 * Runs the `pulumi` CLI in the stack's program directory with its environment (for commands the Automation API does
 * not offer, e.g. `pulumi import`); resolves with the exit code and the combined output, never rejects.
 */
export function pulumiCli(ws: ProgramStack, timeoutMs: number, ...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) =>
    execFile(
      join(pulumiBinDir(), "pulumi"),
      [...args, "--stack", "test", "--non-interactive", "--color", "never"],
      { cwd: ws.workDir, env: { ...process.env, ...ws.env, PATH: `${pulumiBinDir()}:${process.env["PATH"] ?? ""}` }, timeout: timeoutMs, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, out: `${stdout}\n${stderr}` }),
    ),
  );
}
