/** Runs `scripts/demo.mjs` (a story) to the end and splits its output at the numbered captions (`▶ 1.`, `▶ 2.`, …). */
import { spawnSync } from "node:child_process";
import { expect } from "vitest";
import { join } from "node:path";
import { pulumiBinDir, repoRoot } from "../engine/harness";
import { describeProcesses, killLeftovers } from "./leftovers";

/** What a demo run printed. */
export interface DemoRun {
  readonly status: number | null;
  readonly out: string;
  readonly stderr: string;
  /** The output from caption `n.` up to caption `n + 1.` (or the end). */
  section(n: number): string;
}

/** Runs the demo with `args` (e.g. `["iot"]`). */
export function runDemo(args: string[] = []): DemoRun {
  pulumiBinDir(); // makes sure .tmp/pulumi-bin-dir exists (setup normally wrote it)
  const r = spawnSync(process.execPath, [join(repoRoot, "scripts", "demo.mjs"), ...args], { cwd: repoRoot, encoding: "utf8", timeout: 400_000 });
  // A demo stopped by the timeout leaves its Pulumi CLI, language host and providers (each in a process group of
  // its own) running as orphans in its .tmp/demo workspace: kill them, and say so in the output checked.
  const left = killLeftovers({ roots: [join(repoRoot, ".tmp", "demo") + "/"] });
  const stderr = left.length > 0 ? `${r.stderr}\nrunDemo: killed ${left.length} process(es) the demo left running:\n${describeProcesses(left)}\n` : r.stderr;
  const out = r.stdout;
  const section = (n: number) => {
    const end = out.indexOf(`▶ ${n + 1}.`);
    return out.slice(out.indexOf(`▶ ${n}.`), end === -1 ? undefined : end);
  };
  return { status: r.status, out, stderr, section };
}

/**
 * The end of an Import/Export story: it says where the state lives, no secret reached the output (the emulator
 * account's secret key, the job's signature), and the emulator it started is gone.
 */
export async function expectTidyEnd(out: string): Promise<void> {
  expect(out).toMatch(/Stack state lives in \S+/);
  expect(out).not.toContain("emulator-alice-secret-key");
  expect(out).toMatch(/signatureFile: \[secret\]/);
  const endpoint = /emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
  expect(endpoint).toBeDefined();
  expect(out).toContain(`Dashboard: ${endpoint}/_emulator/ui`);
  await expect(fetch(`${endpoint}/_emulator/health`)).rejects.toThrow();
}
