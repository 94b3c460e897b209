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

/** A stderr logger: one JSON object per line, or a readable line (`format: "pretty"`). */
export function stderrLogger(format: "json" | "pretty"): EmulatorLogger {
  return (entry) => {
    const time = new Date().toISOString();
    if (format === "json") {
      process.stderr.write(`${JSON.stringify({ time, ...entry })}\n`);
      return;
    }
    const { level, msg, ...fields } = entry;
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    process.stderr.write(`${time} ${level.toUpperCase().padEnd(5)} ${msg}${extra ? ` ${extra}` : ""}\n`);
  };
}
