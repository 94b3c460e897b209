/**
 * The durable record journal every emulated service keeps its state in (`--data-dir`): one file per service, the
 * same format, guarantees and start-up checks for all. A service supplies only its file name and record rules
 * (a `JournalSpec`, see ./store).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { silentLogger, type EmulatorLogger } from "./log";

const FORMAT = 1;

/**
 * The journal cannot be replayed without losing an acknowledged job: a line other than the torn last one is not a
 * record. Start-up stops and the file is left as it is, so nothing is lost silently; the message names `file:line`.
 */
export class JournalError extends Error {
  override readonly name = "JournalError";
  /** The journal file. */
  readonly file: string;
  /** 1-based line of the unreadable record. */
  readonly line: number;

  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: ${problem}. The emulator did not start and left the journal untouched: repair or remove that line (or move the file away to start empty).`);
    this.file = file;
    this.line = line;
    Object.setPrototypeOf(this, JournalError.prototype);
  }
}

/** Latest epoch ms a stored job date may have (four-digit years, as every client parses them). */
const MAX_STORED_TIME = Date.UTC(9999, 11, 31, 23, 59, 59);

/** A stored time: whole epoch ms from 1970 up to year 9999. */
export function isTime(v: unknown): boolean {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0 && v <= MAX_STORED_TIME;
}

/** One journal entry: a record (or a change to one, see `fold`), a removal by key, or a reset. */
type JournalEntry<T> = { op: "put"; record: T } | { op: "remove"; key: string } | { op: "clear" };

/** What folding a put entry into the current record gives: the new record, or why the entry cannot apply. */
export type FoldResult<T> = { record: T } | { problem: string };

/**
 * An append-only journal of whole records, one JSON line each, fsync'ed before `put`/`remove` return, so a record a
 * client has been told about survives `kill -9`. Replay keeps the last record per key (a `remove` forgets it), or,
 * with `fold`, applies each entry to the record of its key (a journal of changes to records). The
 * only loss it tolerates is a torn final line (no newline: the process died mid-write, before replying), and it logs
 * that; any other unreadable line, or a record `problem` refuses, stops start-up with a {@link JournalError} naming
 * `file:line`. At start-up the journal is compacted by writing a fresh file, fsync'ing it and renaming it over the old
 * one (atomic on POSIX), then fsync'ing the directory.
 */
export class RecordJournal<T, E = T> {
  private readonly dir: string;
  private readonly path: string;
  private fd: number | undefined;

  /**
   * @param file journal file name inside `dir`
   * @param field name of the record member in each line (`job` keeps the Import/Export journal's format)
   * @param keyOf the identity of a record: a later `put` with the same key replaces (or folds into) the earlier one
   * @param problem why a replayed value is not a whole record (or entry, with `fold`): undefined when it is one
   * @param fold how a put entry applies to the current record of its key (default: it replaces it). Lets a journal
   *   store changes to a large record instead of the whole record each time; a problem stops start-up like damage.
   */
  constructor(
    dir: string,
    file: string,
    private readonly field: string,
    private readonly keyOf: (entry: E) => string,
    private readonly problem: (record: unknown) => string | undefined,
    private readonly logger: EmulatorLogger = silentLogger,
    private readonly fold: (current: T | undefined, entry: E) => FoldResult<T> = (_current, entry) => ({ record: entry as unknown as T }),
  ) {
    this.dir = dir;
    this.path = join(dir, file);
    mkdirSync(dir, { recursive: true });
  }

  /** The entry a journal line holds, or why it holds none. */
  private readEntry(line: string): JournalEntry<E> | string {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return "the line is not JSON";
    }
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return "the line is not a journal record";
    const e = entry as Record<string, unknown>;
    if (e["v"] !== FORMAT) return `the record has journal format ${JSON.stringify(e["v"]) ?? "(none)"}, expected ${FORMAT}`;
    if (e["op"] === "clear") return { op: "clear" };
    if (e["op"] === "remove") return typeof e["key"] === "string" ? { op: "remove", key: e["key"] } : "the remove record has no key";
    if (e["op"] !== "put") return "the record has no valid op (put, remove or clear)";
    const problem = this.problem(e[this.field]);
    return problem ?? { op: "put", record: e[this.field] as E };
  }

  /**
   * Replays the journal, compacts it, and returns the live records in first-written order.
   * @throws JournalError when a line other than a torn last one is not a whole record.
   */
  load(): T[] {
    const records = new Map<string, T>();
    if (existsSync(this.path)) {
      const lines = readFileSync(this.path, "utf8").split("\n");
      // After the last newline: "" when the file ends cleanly, otherwise a line whose write may have been cut off.
      const lastIndex = lines.length - 1;
      lines.forEach((line, i) => {
        if (line.length === 0) return;
        const entry = this.readEntry(line);
        const folded = typeof entry === "string" || entry.op !== "put" ? undefined : this.fold(records.get(this.keyOf(entry.record)), entry.record);
        const problem = typeof entry === "string" ? entry : folded !== undefined && "problem" in folded ? folded.problem : undefined;
        if (problem !== undefined) {
          if (i !== lastIndex) throw new JournalError(this.path, i + 1, problem);
          // Never acknowledged (put() replies only after the whole line and its newline are on disk).
          this.logger({ level: "warn", msg: "journal: dropped a torn last record (the process stopped mid-write)", file: this.path, line: i + 1, bytes: Buffer.byteLength(line) });
          return;
        }
        if (typeof entry === "string") return;
        if (entry.op === "clear") records.clear();
        else if (entry.op === "remove") records.delete(entry.key);
        else if (folded !== undefined && "record" in folded) records.set(this.keyOf(entry.record), folded.record);
      });
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

  /** Stores a record's current state (or, with `fold`, a change to it) durably. */
  put(record: E): void {
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
