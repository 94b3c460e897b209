/**
 * How big a reliability run is. `npm test` runs the short version (bounded to a few minutes on 2 cores in total);
 * `npm run soak` sets RELIABILITY_SOAK=1 for the numbers. Figures each test measures are printed as one
 * `[figures] name {json}` line and, when RELIABILITY_FIGURES names a file, appended to it as JSON lines (the soak
 * script prints them as its closing table).
 */
import { appendFileSync } from "node:fs";

/** Whether this is the soak run. */
export const SOAK = process.env["RELIABILITY_SOAK"] === "1";

/** `test` in npm test, `soak` in npm run soak. */
export function scaled<T>(sizes: { test: T; soak: T }): T {
  return SOAK ? sizes.soak : sizes.test;
}

/** Prints (and records for the soak script) the figures of one test. */
export function recordFigures(name: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ name, soak: SOAK, ...figures });
  console.log(`[figures] ${line}`);
  const file = process.env["RELIABILITY_FIGURES"];
  if (file) appendFileSync(file, `${line}\n`);
}

/** Resident set size of this process in MiB, one decimal. */
export function rssMiB(): number {
  return Math.round((process.memoryUsage.rss() / (1024 * 1024)) * 10) / 10;
}
