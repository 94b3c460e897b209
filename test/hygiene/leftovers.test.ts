/**
 * The leftover-process detector the global teardown runs (test/global-setup.ts, issue 22 item 11), tested on
 * processes this test spawns — a sleeping child, an orphan whose parent exited, one found only by its environment —
 * and kills itself, so the real suite is never failed by them.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { describeProcesses, findLeftovers, killProcesses, listProcesses } from "../helpers/leftovers";

const spawned: number[] = [];
afterEach(() => {
  for (const pid of spawned.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // killed by the test already
    }
  }
});

/** A `sleep 300` started with `options`; its PID is remembered for cleanup. */
function sleeper(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): number {
  return sleeping(options).pid!;
}
function sleeping(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  const child = spawn("sleep", ["300"], { ...options, stdio: "ignore" });
  spawned.push(child.pid!);
  return child;
}

const workspace = (): string => mkdtempSync(join(tmpdir(), "ie-leftovers-"));
const pids = (roots: string[], before?: ReadonlySet<number>) => findLeftovers({ roots, ...(before ? { before } : {}) }).map((p) => p.pid);

describe("findLeftovers", () => {
  it("finds a sleeping child whose working directory is in a root, and names it", () => {
    const dir = workspace();
    const pid = sleeper({ cwd: dir });
    expect(pids([dir])).toEqual([pid]);
    const text = describeProcesses(findLeftovers({ roots: [dir] }));
    expect(text).toContain(`pid ${pid}`);
    expect(text).toContain("sleep 300");
    expect(text).toContain(`[cwd ${dir}]`);
  });

  it("finds an orphan (its parent exited, it was handed to init or a subreaper)", () => {
    const dir = workspace();
    // The shell starts sleep in the background, prints its PID and exits at once: sleep's parent is gone.
    const r = spawnSync("sh", ["-c", "sleep 300 >/dev/null 2>&1 & echo $!"], { cwd: dir, encoding: "utf8" });
    const pid = Number(r.stdout.trim());
    spawned.push(pid);
    const found = findLeftovers({ roots: [dir] }).find((p) => p.pid === pid);
    expect(found).toBeDefined();
    expect(found!.ppid).not.toBe(process.pid);
  });

  it("finds a process by an environment value in a root (PULUMI_HOME of a workspace)", () => {
    const dir = workspace();
    const pid = sleeper({ cwd: tmpdir(), env: { ...process.env, PULUMI_HOME: join(dir, "home") } });
    expect(pids([dir])).toEqual([pid]);
  });

  it("ignores processes that point elsewhere, that ran before, and this process and its ancestors", () => {
    const dir = workspace();
    const other = workspace();
    const pid = sleeper({ cwd: other });
    expect(pids([dir])).toEqual([]);
    expect(pids([other], new Set([pid]))).toEqual([]);
    // The test process itself runs in the repository: never its own leftover.
    expect(pids([process.cwd()])).not.toContain(process.pid);
  });

  it("killProcesses ends them, after which nothing is found", async () => {
    const dir = workspace();
    const child = sleeping({ cwd: dir });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once("exit", (_code, signal) => r(signal)));
    expect(pids([dir])).toEqual([child.pid]);
    killProcesses(findLeftovers({ roots: [dir] }));
    expect(await exited).toBe("SIGKILL");
    expect(pids([dir])).toEqual([]);
    expect(listProcesses().some((p) => p.pid === child.pid && p.state !== "Z")).toBe(false);
  });
});
