/**
 * Why an engine operation failed when the machine, not the code, is the likely cause (issue 22 item 11: engine tests
 * failed 29 of 31 beside thousands of connections and jobs, then passed 31/31 alone). The harness wraps a failed
 * Pulumi command's error with this: the causes recognised in its output (port exhaustion, refused or timed-out
 * connections, file-descriptor or memory limits, deadlines), the load average against the number of cores, how long
 * the command ran, and the output lines that name the cause.
 */

/** A cause recognised in a command's output. */
interface KnownCause {
  pattern: RegExp;
  cause: string;
}

const CAUSES: readonly KnownCause[] = [
  { pattern: /EADDRNOTAVAIL/, cause: "port exhaustion (EADDRNOTAVAIL: no free local port; too many connections in TIME_WAIT on this machine)" },
  { pattern: /EADDRINUSE/, cause: "port in use (EADDRINUSE)" },
  { pattern: /EMFILE|ENFILE|too many open files/i, cause: "file-descriptor limit reached (EMFILE/ENFILE)" },
  { pattern: /ENOMEM|out of memory|JavaScript heap out of memory/i, cause: "out of memory" },
  { pattern: /ECONNREFUSED/, cause: "connection refused (ECONNREFUSED: the emulator or a plugin was not listening)" },
  { pattern: /ECONNRESET|socket hang up/, cause: "connection reset (ECONNRESET)" },
  { pattern: /ETIMEDOUT|RESPONSE_TIMEOUT|UND_ERR_CONNECT_TIMEOUT|context deadline exceeded|timed out|timeout/i, cause: "a timeout" },
];

/** The machine's state the message reports. */
export interface MachineLoad {
  /** 1, 5 and 15 minute load averages (`os.loadavg()`). */
  loadavg: readonly number[];
  cores: number;
  /** How long the failed command ran. */
  elapsedMs: number;
}

/** Lines of `output` that name one of the known causes (at most `max`, each cut at 300 characters). */
export function causeLines(output: string, max = 8): string[] {
  return output
    .split("\n")
    .filter((line) => CAUSES.some((c) => c.pattern.test(line)))
    .slice(0, max)
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line.trim()));
}

/**
 * One paragraph that says why `output` (a failed command's message, stdout and stderr) may have failed: the known
 * causes found in it and whether the machine was overloaded (a 1-minute load average above twice the cores).
 */
export function explainFailure(output: string, load: MachineLoad): string {
  const causes = CAUSES.filter((c) => c.pattern.test(output)).map((c) => c.cause);
  const [one = 0, five = 0, fifteen = 0] = load.loadavg;
  const overloaded = one > 2 * load.cores;
  if (overloaded) causes.push(`an overloaded machine (load ${one.toFixed(2)} on ${load.cores} cores)`);
  const lines = causeLines(output);
  return [
    `Likely cause: ${causes.length > 0 ? causes.join("; ") : "none recognised in the output (not port exhaustion, a refused connection, a timeout or a resource limit)"}.`,
    `Load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} (1 / 5 / 15 min) on ${load.cores} cores; the command ran ${(load.elapsedMs / 1000).toFixed(1)} s.`,
    ...(lines.length > 0 ? ["Lines naming it:", ...lines.map((l) => `  ${l}`)] : []),
  ].join("\n");
}
