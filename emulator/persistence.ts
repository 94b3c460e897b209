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

const FORMAT = 1;

/**
 * An append-only journal of whole records, one JSON line each, fsync'ed before `put`/`remove` return, so a record a
 * client has been told about survives `kill -9`. Replay keeps the last record per key (a `remove` forgets it); a
 * torn final line (the process died mid-write, before replying) is ignored. At start-up the journal is compacted by
 * writing a fresh file, fsync'ing it and renaming it over the old one (atomic on POSIX), then fsync'ing the directory.
 */
export class RecordJournal<T> {
  private readonly dir: string;
  private readonly path: string;
  private fd: number | undefined;

  /**
   * @param file journal file name inside `dir`
   * @param field name of the record member in each line (`job` keeps the Import/Export journal's format)
   * @param keyOf the identity of a record: a later `put` with the same key replaces the earlier one
   */
  constructor(dir: string, file: string, private readonly field: string, private readonly keyOf: (record: T) => string) {
    this.dir = dir;
    this.path = join(dir, file);
    mkdirSync(dir, { recursive: true });
  }

  /** Replays the journal, compacts it, and returns the live records in first-written order. */
  load(): T[] {
    const records = new Map<string, T>();
    if (existsSync(this.path)) {
      for (const line of readFileSync(this.path, "utf8").split("\n")) {
        if (line.length === 0) continue;
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue; // torn tail of a write that was never acknowledged
        }
        const record = entry[this.field] as T | undefined;
        if (entry["op"] === "clear") records.clear();
        else if (entry["op"] === "put" && record !== undefined) records.set(this.keyOf(record), record);
        else if (entry["op"] === "remove" && typeof entry["key"] === "string") records.delete(entry["key"]);
      }
    }
    this.rewrite([...records.values()]);
    return [...records.values()];
  }

  private rewrite(records: T[]): void {
    this.closeFd();
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, "w");
    const text = records.map((record) => JSON.stringify({ v: FORMAT, op: "put", [this.field]: record })).join("\n");
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

  /** Stores a record's current state durably. */
  put(record: T): void {
    this.append({ op: "put", [this.field]: record });
  }

  /** Forgets the record with this key durably. */
  remove(key: string): void {
    this.append({ op: "remove", key });
  }

  /** Forgets every record (admin reset). */
  clear(): void {
    this.rewrite([]);
  }

  private closeFd(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  /** Closes the file. */
  close(): void {
    this.closeFd();
  }
}

/** The Import/Export job journal (`jobs.journal` in the data dir), keyed by JobId. */
export class JournalStore implements JobStore {
  private readonly journal: RecordJournal<JobRecord>;

  constructor(dir: string) {
    this.journal = new RecordJournal<JobRecord>(dir, "jobs.journal", "job", (job) => job.jobId);
  }

  load(): JobRecord[] {
    return this.journal.load();
  }

  put(job: JobRecord): void {
    this.journal.put(job);
  }

  clear(): void {
    this.journal.clear();
  }

  close(): void {
    this.journal.close();
  }
}
