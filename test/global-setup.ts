/**
 * Vitest global setup. Suites start their own emulator and Pulumi workspaces; what this adds is the check that
 * they stopped them: at the end of the run, any process the run started that still points into the repository's
 * `.tmp/` (engine and demo workspaces), `dist/` (spawned emulators and CLIs) or `scripts/` is killed and fails the
 * run, named (test/helpers/leftovers.ts). Issue 22 item 11: a `pulumi-resource-pulumi-nodejs` provider outlived
 * `npm test` by 40 minutes.
 */
import { join, resolve } from "node:path";
import { describeProcesses, findLeftovers, killProcesses, listProcesses } from "./helpers/leftovers";

const repoRoot = resolve(__dirname, "..");
/** The run's directories (absolute, so another checkout's processes never match). */
export const RUN_ROOTS = [join(repoRoot, ".tmp") + "/", join(repoRoot, "dist") + "/", join(repoRoot, "scripts") + "/"];

export default function setup(): () => Promise<void> {
  const before = new Set(listProcesses().map((p) => p.pid));
  return async () => {
    // A process that is exiting right now (a provider told to stop at the end of the last test) gets a moment.
    let left = findLeftovers({ roots: RUN_ROOTS, before });
    for (let waited = 0; left.length > 0 && waited < 3_000; waited += 250) {
      await new Promise((r) => setTimeout(r, 250));
      left = findLeftovers({ roots: RUN_ROOTS, before });
    }
    if (left.length === 0) return;
    killProcesses(left);
    // Vitest reports an error thrown here ("error during close") but still exits 0: set the exit code ourselves.
    process.exitCode = 1;
    throw new Error(
      `The tests left ${left.length} process(es) running (now killed). A test must stop what it starts (kill the ` +
        `process group of a detached child; see test/engine/harness.ts cleanup):\n${describeProcesses(left)}`,
    );
  };
}
