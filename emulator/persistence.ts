import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { JobRecord } from "./backend/job";

/** Where acknowledged jobs live. `put` returns only once the record is durable (the server replies after it). */
export interface JobStore {
  /** Every stored job (at start-up). */
  load(): JobRecord[];
  /** Stores the job's current state. */
  put(job: JobRecord): void;
  /** Forgets every job (admin reset). */
  clear(): void;
  close(): void;
}

/** The default: nothing survives the process. */
export class MemoryStore implements JobStore {
  load(): JobRecord[] {
    return [];
  }
  put(): void {}
  clear(): void {}
  close(): void {}
}

const JOURNAL = "jobs.journal";
const FORMAT = 1;

/**
 * An append-only journal of whole job records, one JSON line each, fsync'ed before `put` returns, so a job a
 * client has been told about survives `kill -9`. Replay keeps the last record per JobId; a torn final line (the
 * process died mid-write, before replying) is ignored. At start-up the journal is compacted by writing a fresh file,
 * fsync'ing it and renaming it over the old one (atomic on POSIX), then fsync'ing the directory.
 */
export class JournalStore implements JobStore {
  private readonly dir: string;
  private readonly path: string;
  private fd: number | undefined;

  constructor(dir: string) {
    this.dir = dir;
    this.path = join(dir, JOURNAL);
    mkdirSync(dir, { recursive: true });
  }

  load(): JobRecord[] {
    const jobs = new Map<string, JobRecord>();
    if (existsSync(this.path)) {
      for (const line of readFileSync(this.path, "utf8").split("\n")) {
        if (line.length === 0) continue;
        let entry: { v?: number; op?: string; job?: JobRecord };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue; // torn tail of a write that was never acknowledged
        }
        if (entry.op === "clear") jobs.clear();
        else if (entry.op === "put" && entry.job !== undefined) jobs.set(entry.job.jobId, entry.job);
      }
    }
    this.rewrite([...jobs.values()]);
    return [...jobs.values()];
  }

  private rewrite(jobs: JobRecord[]): void {
    this.closeFd();
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, "w");
    const text = jobs.map((job) => JSON.stringify({ v: FORMAT, op: "put", job })).join("\n");
    writeSync(fd, text.length > 0 ? `${text}\n` : "");
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
    this.syncDir();
    this.fd = openSync(this.path, "a");
  }

  private syncDir(): void {
    try {
      const dirFd = openSync(this.dir, "r");
      fsyncSync(dirFd);
      closeSync(dirFd);
    } catch {
      // Some platforms cannot fsync a directory; the file itself is synced.
    }
  }

  private append(entry: object): void {
    if (this.fd === undefined) this.fd = openSync(this.path, "a");
    writeSync(this.fd, `${JSON.stringify({ v: FORMAT, ...entry })}\n`);
    fsyncSync(this.fd);
  }

  put(job: JobRecord): void {
    this.append({ op: "put", job });
  }

  clear(): void {
    this.rewrite([]);
  }

  private closeFd(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  close(): void {
    this.closeFd();
  }
}
