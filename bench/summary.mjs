/**
 * The one table `npm run bench` ends with: every ratio the benchmarks measured, against its target.
 *
 * bench/run.mjs names a file in BENCH_RESULTS_FILE; each benchmark appends one JSON line per figure to it with
 * `recordResult` (a file rather than lines on stdout, so each benchmark's own output stays as it is and a benchmark
 * that re-runs itself, such as sdk-getstatus.mjs under `--pin`, records from the child). Run on its own, a benchmark
 * records nothing. run.mjs reads the lines back (`parseResults`) and prints `summaryTable`.
 *
 * A figure is a ratio against a baseline measured in the same run (unit "×"), or, where the target is a time
 * (the dashboard state for 10,000 jobs in ≤ 100 ms, issue 22), milliseconds. A target is a bound such as "<= 0.35"
 * or ">= 0.5"; a figure without one is reported, not judged. Whether a target is met is decided on the value as the
 * table shows it (two decimals), so a row never reads "1.10× … ≤ 1.10× … NOT met".
 */
import { appendFileSync } from "node:fs";

/** What `npm run bench` runs, in order (file names in bench/ without `.mjs`); each records its figures here. */
export const BENCHMARKS = ["emulator-getstatus", "emulator-scale", "sdk-getstatus", "provider-preview", "native-preview", "manifest-parse", "cli-start"];

/** The environment variable naming the file benchmarks append their figures to. */
export const RESULTS_FILE_ENV = "BENCH_RESULTS_FILE";

const UNITS = new Set(["×", "ms"]);
const TARGET = /^(<=|>=|<|>)\s*(\d+(?:\.\d+)?)$/;
const SHOWN = { "<=": "≤", ">=": "≥", "<": "<", ">": ">" };

/**
 * A target bound ("<= 0.35", ">= 0.5") as its operator and number; throws naming the text when it is not one.
 * @param {string} target
 * @returns {{ op: "<=" | ">=" | "<" | ">", bound: number, written: string }}
 */
export function parseTarget(target) {
  const m = TARGET.exec(String(target).trim());
  if (m === null) throw new Error(`target ${JSON.stringify(target)} is not a bound such as "<= 0.35" or ">= 0.5"`);
  return { op: /** @type {"<=" | ">=" | "<" | ">"} */ (m[1]), bound: Number(m[2]), written: String(m[2]) };
}

/** The value as the table shows it: two decimals for a ratio, one for milliseconds. */
function rounded(value, unit) {
  const digits = unit === "ms" ? 1 : 2;
  return Number(value.toFixed(digits));
}

/**
 * Whether `value` meets `target`, judged on the value as shown; undefined when there is no target or no value.
 * @param {number | null} value
 * @param {string | undefined} target
 * @param {string} [unit]
 * @returns {boolean | undefined}
 */
export function targetMet(value, target, unit = "×") {
  if (target === undefined || value === null || !Number.isFinite(value)) return undefined;
  const { op, bound } = parseTarget(target);
  const v = rounded(value, unit);
  if (op === "<=") return v <= bound;
  if (op === ">=") return v >= bound;
  if (op === "<") return v < bound;
  return v > bound;
}

/**
 * Checks one figure's fields; returns it with the unit filled in, or throws naming the field.
 * @param {unknown} raw
 * @returns {{ bench: string, figure: string, value: number | null, unit: "×" | "ms", target?: string }}
 */
function checked(raw) {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new Error("a figure must be a JSON object");
  const r = /** @type {Record<string, unknown>} */ (raw);
  if (typeof r.bench !== "string" || r.bench === "") throw new Error("field bench: must be a non-empty string");
  if (typeof r.figure !== "string" || r.figure === "") throw new Error("field figure: must be a non-empty string");
  // NaN (a cell that timed out) is written as null by JSON.stringify: shown as not measured.
  if (r.value !== null && (typeof r.value !== "number" || !Number.isFinite(r.value))) throw new Error(`field value: must be a finite number or null, got ${JSON.stringify(r.value)}`);
  const unit = r.unit ?? "×";
  if (typeof unit !== "string" || !UNITS.has(unit)) throw new Error(`field unit: must be "×" or "ms", got ${JSON.stringify(r.unit)}`);
  const out = { bench: r.bench, figure: r.figure, value: /** @type {number | null} */ (r.value), unit: /** @type {"×" | "ms"} */ (unit) };
  if (r.target !== undefined) {
    if (typeof r.target !== "string") throw new Error("field target: must be a string such as \"<= 0.35\"");
    parseTarget(r.target);
    return { ...out, target: r.target };
  }
  return out;
}

/**
 * Records one figure for the summary (a JSON line appended to BENCH_RESULTS_FILE); does nothing when the variable is
 * unset, i.e. when the benchmark runs on its own. Throws on a malformed figure, so a typo fails the benchmark that
 * made it rather than the table.
 * @param {{ bench: string, figure: string, value: number, unit?: "×" | "ms", target?: string }} result
 */
export function recordResult(result) {
  const line = JSON.stringify(checked({ ...result, value: Number.isFinite(result.value) ? result.value : null }));
  const file = process.env[RESULTS_FILE_ENV];
  if (file) appendFileSync(file, `${line}\n`);
}

/**
 * The figures in the results file's text, one JSON object per line (blank lines skipped). A line that is not a
 * figure throws, naming its line number and the problem: a summary that silently dropped a figure would not be one.
 * @param {string} text
 */
export function parseResults(text) {
  const results = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      results.push(checked(JSON.parse(line)));
    } catch (e) {
      throw new Error(`results line ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return results;
}

const cell = (text) => String(text).replace(/\|/g, "\\|");

function shownValue(value, unit) {
  if (value === null) return "not measured";
  return unit === "ms" ? `${value.toFixed(1)} ms` : `${value.toFixed(2)}×`;
}

function shownTarget(target, unit) {
  if (target === undefined) return "—";
  const { op, written } = parseTarget(target);
  return `${SHOWN[op]} ${written}${unit === "ms" ? " ms" : "×"}`;
}

/**
 * The summary: a Markdown table `| benchmark | figure | ratio | target | met |` (benchmarks in `order`, each one's
 * figures in the order recorded), the count of targets met, the load average at start and end, and a line for each
 * benchmark that failed or recorded nothing.
 * @param {ReturnType<typeof parseResults>} results
 * @param {{ order: string[], loadStart: number[], loadEnd: number[], exitCodes?: Record<string, number | null> }} run
 * @returns {string}
 */
export function summaryTable(results, run) {
  const rank = (bench) => {
    const i = run.order.indexOf(bench);
    return i < 0 ? run.order.length : i;
  };
  const sorted = results.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r.bench) - rank(b.r.bench) || a.i - b.i).map((x) => x.r);
  const lines = ["| benchmark | figure | ratio | target | met |", "|---|---|---:|---|---|"];
  let judged = 0;
  let met = 0;
  for (const r of sorted) {
    const ok = targetMet(r.value, r.target, r.unit);
    let verdict = "report";
    if (r.target !== undefined && r.value === null) verdict = "not measured";
    else if (ok !== undefined) {
      judged++;
      if (ok) met++;
      verdict = ok ? "met" : "**NOT met**";
    }
    lines.push(`| ${cell(r.bench)} | ${cell(r.figure)} | ${shownValue(r.value, r.unit)} | ${shownTarget(r.target, r.unit)} | ${verdict} |`);
  }
  const load = (l) => l.map((x) => x.toFixed(2)).join(" ");
  lines.push("", `${met} of ${judged} targets met; load average (1, 5, 15 min) at start ${load(run.loadStart)}, at end ${load(run.loadEnd)}.`);
  for (const bench of run.order) {
    const code = run.exitCodes?.[bench];
    if (code !== undefined && code !== 0) lines.push(`${bench}: exited with ${code === null ? "a signal" : `code ${code}`}; its figures may be missing.`);
    else if (!results.some((r) => r.bench === bench)) lines.push(`${bench}: recorded no figures.`);
  }
  return lines.join("\n");
}
