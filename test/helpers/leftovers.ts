/**
 * Processes a test run leaves behind (issue 22 item 11): the Pulumi CLI, its language host and providers
 * (`pulumi-resource-pulumi-nodejs` outlived a whole `npm test` by 40 minutes), spawned emulators and CLIs.
 *
 * A process is a leftover of the run when it was not running when the run started, it belongs to the run (a
 * descendant of the test process, or an orphan: its parent died and it was handed to init or a subreaper), and it
 * points into one of the run's directories: its working directory, an argument, or an environment value (PULUMI_HOME,
 * the file:// backend) lies under a root. The test runner's own processes (vitest workers, esbuild) are not counted.
 * Linux only (/proc); elsewhere nothing is found.
 */
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

/** One process as /proc shows it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** `R`, `S`, … `Z` for a zombie (exited, not yet reaped: nothing left to kill). */
  state: string;
  /** Process group: a tree started `detached` is one group, killed with `kill(-pgid)`. */
  pgid: number;
  /** Executable name as the kernel keeps it (at most 15 characters). */
  comm: string;
  /** Arguments, NUL-separated in /proc, joined with spaces. */
  args: string;
  /** Working directory (`… (deleted)` once the directory is gone), or "" when unreadable. */
  cwd: string;
}

/** The test runner's own processes, which exist during teardown and are not the tests' doing. */
const RUNNER = /\/node_modules\/(?:vitest|@vitest|@esbuild|esbuild|tinypool)\//;
/** Parents an orphan is handed to: init, or a subreaper such as `systemd --user`. */
const REAPERS = new Set(["systemd", "init", "tini", "dumb-init"]);

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

/** Every process /proc lists now. */
export function listProcesses(): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (stat === undefined) continue;
    // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses: split at the last ")".
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" ");
    let cwd = "";
    try {
      cwd = readlinkSync(`/proc/${name}/cwd`);
    } catch {
      // another user's process, or gone
    }
    out.push({
      pid: Number(name),
      state: fields[0] ?? "",
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      comm: stat.slice(stat.indexOf("(") + 1, close),
      args: (read(`/proc/${name}/cmdline`) ?? "").split("\0").filter(Boolean).join(" "),
      cwd,
    });
  }
  return out;
}

/** The environment values of a process (empty when unreadable). */
function environment(pid: number): string[] {
  return (read(`/proc/${pid}/environ`) ?? "").split("\0").map((kv) => kv.slice(kv.indexOf("=") + 1));
}

/** What to look for. */
export interface LeftoverQuery {
  /** Directories of the run (temp workspaces, the built emulator and CLI): a leftover points into one of them. */
  roots: readonly string[];
  /** PIDs running before the run began (they are never leftovers). */
  before?: ReadonlySet<number>;
  /** The process whose descendants belong to the run (default: this process). */
  owner?: number;
}

/** Processes the run left behind (see the module comment), in PID order. */
export function findLeftovers(query: LeftoverQuery, processes: ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const owner = query.owner ?? process.pid;
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const ancestors = new Set<number>();
  for (let p = byPid.get(owner); p && !ancestors.has(p.pid); p = byPid.get(p.ppid)) ancestors.add(p.pid);
  const descendsFromOwner = (p: ProcessInfo): boolean => {
    const seen = new Set<number>();
    for (let q: ProcessInfo | undefined = p; q && !seen.has(q.pid); q = byPid.get(q.ppid)) {
      if (q.ppid === owner) return true;
      seen.add(q.pid);
    }
    return false;
  };
  const orphaned = (p: ProcessInfo): boolean => p.ppid === 1 || REAPERS.has(byPid.get(p.ppid)?.comm ?? "");
  const under = (text: string): boolean => query.roots.some((root) => text.includes(root));
  return processes.filter((p) => {
    if (p.state === "Z" || ancestors.has(p.pid) || query.before?.has(p.pid) || RUNNER.test(p.args)) return false;
    if (!descendsFromOwner(p) && !orphaned(p)) return false;
    return under(p.cwd) || under(p.args) || environment(p.pid).some(under);
  });
}

/** One line per process for a failure message: pid, group, parent, command and where it runs. */
export function describeProcesses(processes: readonly ProcessInfo[]): string {
  return processes.map((p) => `  pid ${p.pid} (group ${p.pgid}, parent ${p.ppid}) ${p.args.slice(0, 200) || p.comm}${p.cwd ? `  [cwd ${p.cwd}]` : ""}`).join("\n");
}

/** SIGKILLs each process and, when it leads one, its process group (a plugin's own children go with it). */
export function killProcesses(processes: readonly ProcessInfo[]): void {
  for (const p of processes) {
    for (const target of p.pgid === p.pid ? [-p.pid, p.pid] : [p.pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
}

/** Finds the run's leftovers for `query` and kills them; returns what it killed. */
export function killLeftovers(query: LeftoverQuery): ProcessInfo[] {
  const left = findLeftovers(query);
  killProcesses(left);
  return left;
}

/**
 * SIGKILLs `pid` and every process descending from it, each with its process group. Killing the group of a
 * `detached` child is not enough for the Pulumi CLI: it starts its language host and providers with `setpgid` (their
 * own groups), so they outlive a `kill(-pgid)` of the CLI as orphans. The tree is listed before anything is killed
 * (once a parent dies, its children are re-parented and no longer found under it).
 */
export function killTree(pid: number, processes: ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const p of processes) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const tree: ProcessInfo[] = [];
  const root = processes.find((p) => p.pid === pid);
  const queue = root ? [root] : [];
  while (queue.length > 0) {
    const p = queue.shift()!;
    tree.push(p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  for (const p of tree) {
    for (const target of [-p.pgid, p.pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  return tree;
}

/**
 * Waits until no live process is left in process group `pgid` (zombies aside), polling /proc; false when some still
 * runs after `timeoutMs`. For a `detached` tree ended with `kill(-pgid)`: its leader (npx, sh) may exit before the
 * process that does the work has finished shutting down.
 */
export async function groupExited(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!listProcesses().some((p) => p.pgid === pgid && p.state !== "Z")) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
