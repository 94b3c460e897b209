/**
 * One emulator per `--data-dir`. A second process on the same directory would replay and rewrite both journals at
 * start-up, and every later write of the first would go to files no longer in the directory: acknowledged jobs lost.
 *
 * Node's core has no flock, so the lock is a file naming its holder — PID, the process's start time (Linux
 * `/proc/<pid>/stat`, so a PID reused by another process does not count) and host — and it is never stuck: a holder
 * that is gone (killed with -9, crashed) is seen as gone at the next start, which takes over at once. Takeover
 * must not let two starters both win, and a file cannot be replaced "only if it is still the stale one" without a
 * race, so lock files are numbered: `emulator.lock.<n>`, the highest one counts, and a starter takes over from n
 * by creating n+1, which only one process can do (a hard link fails when the name exists; the content is whole
 * before the link appears). Older numbers are then removed. Release marks the file released rather than removing
 * it, so the numbers never start again from 1 under a starter that saw a higher one.
 */
import { closeSync, fsyncSync, ftruncateSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";

/** The data directory is held by another live emulator; start-up stopped before touching any journal. */
export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
  /** The directory asked for. */
  readonly dataDir: string;
  /** PID of the emulator holding it. */
  readonly pid: number;
  /** Host of that emulator (this one's, unless the directory is shared over the network). */
  readonly host: string;

  constructor(dataDir: string, pid: number, host: string) {
    const where = host === hostname() ? `PID ${pid}` : `PID ${pid} on host ${host}`;
    super(
      `The data directory ${dataDir} is in use by another emulator (${where}). Two emulators on one directory would lose acknowledged jobs: stop that one, or give this one another --data-dir.`,
    );
    this.dataDir = dataDir;
    this.pid = pid;
    this.host = host;
    Object.setPrototypeOf(this, DataDirLockedError.prototype);
  }
}

/** What a lock file holds. */
interface Holder {
  pid: number;
  /** Start time of the process in clock ticks since boot (Linux), so a reused PID is told apart. */
  startTime: number | null;
  host: string;
  released?: boolean;
}

const PREFIX = "emulator.lock.";
/** Rounds of look-then-create before giving up (each lost round means another starter won, so this one refuses next). */
const ATTEMPTS = 20;

/** Start time of process `pid` in clock ticks since boot (field 22 of /proc/<pid>/stat), or null when unknown. */
function startTimeOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count from the last ")".
    const value = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
    return Number.isSafeInteger(value) ? value : null;
  } catch {
    return null;
  }
}

/** Whether the holder recorded in a lock file is still running (another host's holder always counts as running). */
function isLive(holder: Holder): boolean {
  if (holder.released === true) return false;
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const now = startTimeOf(holder.pid);
  return now === null || holder.startTime === null || now === holder.startTime;
}

function parseHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    if (typeof h.pid !== "number" || typeof h.host !== "string") return undefined;
    return { pid: h.pid, startTime: typeof h.startTime === "number" ? h.startTime : null, host: h.host, released: h.released === true };
  } catch {
    return undefined;
  }
}

/** Lock file numbers present in `dir`, highest first. */
function generations(dir: string): number[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith(PREFIX) && /^\d{1,15}$/.test(name.slice(PREFIX.length)))
    .map((name) => Number(name.slice(PREFIX.length)))
    .sort((a, b) => b - a);
}

/** A held data directory; {@link DataDirLock.release} gives it up (idempotent). */
export class DataDirLock {
  private released = false;

  private constructor(
    private readonly file: string,
    private readonly holder: Holder,
  ) {}

  /**
   * Takes the data directory for this process (creating it if needed).
   * @throws DataDirLockedError when a live emulator holds it.
   */
  static acquire(dataDir: string): DataDirLock {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    const holder: Holder = { pid: process.pid, startTime: startTimeOf(process.pid), host: hostname() };
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = generations(dir)[0];
      if (current !== undefined) {
        let text: string;
        try {
          text = readFileSync(join(dir, `${PREFIX}${current}`), "utf8");
        } catch {
          continue; // removed meanwhile by the starter that took over: look again
        }
        const found = parseHolder(text);
        // Files appear whole (linked after writing), so an unreadable one was damaged by hand: not a holder.
        if (found !== undefined && isLive(found)) throw new DataDirLockedError(dataDir, found.pid, found.host);
      }
      const next = (current ?? 0) + 1;
      const file = join(dir, `${PREFIX}${next}`);
      if (DataDirLock.create(file, holder)) {
        for (const older of generations(dir)) if (older < next) DataDirLock.remove(join(dir, `${PREFIX}${older}`));
        return new DataDirLock(file, holder);
      }
      // Another starter created that number first: look again (it is live, so this one will refuse).
    }
    throw new Error(`Could not take the lock of data directory ${dataDir}: its lock files kept changing (${ATTEMPTS} attempts).`);
  }

  /** Creates `file` holding `holder`, whole, unless it exists (false then). */
  private static create(file: string, holder: Holder): boolean {
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, JSON.stringify(holder));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, file);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e;
    } finally {
      DataDirLock.remove(tmp);
    }
  }

  private static remove(file: string): void {
    try {
      unlinkSync(file);
    } catch {
      // Already gone (another starter cleaned up).
    }
  }

  /** Gives the directory up: the lock file stays, marked released, so its number is not used again. */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      const fd = openSync(this.file, "r+");
      try {
        ftruncateSync(fd, 0);
        writeSync(fd, JSON.stringify({ ...this.holder, released: true }), 0);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      // The directory is gone or read-only: nothing holds it then either (this process is stopping).
    }
  }
}
