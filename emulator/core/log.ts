/** One structured log event. Never carries secret keys, session tokens or signatures (design principle 5). */
export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  msg: string;
  [field: string]: unknown;
}

/** Where the emulator writes log events. The in-process default is silent; the bin writes to stderr. */
export type EmulatorLogger = (entry: LogEntry) => void;

/** A logger that drops everything (tests). */
export const silentLogger: EmulatorLogger = () => {};

/** Longest a log line waits before it is written (a person reading the log does not notice 50 ms). */
const FLUSH_INTERVAL_MS = 50;

/**
 * A stderr logger: one JSON object per line, or a readable line (`format: "pretty"`).
 *
 * Lines are batched and written at most every 50 ms (or at 512 lines, or at once for errors): stderr writes are
 * synchronous for files and pipes, and on a busy machine a write system call per request costs as much as
 * answering it. Pending lines are flushed on exit.
 */
export function stderrLogger(format: "json" | "pretty"): EmulatorLogger {
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    process.stderr.write(text);
  };
  process.once("exit", flush);
  // Many lines share a millisecond under load: format each millisecond's time once.
  let lastMs = Number.NaN;
  let time = "";
  return (entry) => {
    const ms = Date.now();
    if (ms !== lastMs) {
      lastMs = ms;
      time = new Date(ms).toISOString();
    }
    let line: string;
    if (format === "json") {
      // `time` first, then the entry's fields: the same text as stringifying `{ time, ...entry }`, without copying
      // the entry into a new object per line. (An entry with its own `time` keeps the copy's override semantics.)
      line = "time" in entry ? `${JSON.stringify({ time, ...entry })}\n` : `{"time":"${time}",${JSON.stringify(entry).slice(1)}\n`;
    } else {
      const { level, msg, ...fields } = entry;
      const extra = Object.entries(fields)
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(" ");
      line = `${time} ${level.toUpperCase().padEnd(5)} ${msg}${extra ? ` ${extra}` : ""}\n`;
    }
    pending.push(line);
    if (entry.level === "error" || pending.length >= 512) flush();
    else if (!scheduled) {
      scheduled = true;
      setTimeout(flush, FLUSH_INTERVAL_MS).unref();
    }
  };
}
