/**
 * The summary `npm run bench` ends with (bench/summary.mjs, bench/run.mjs) must say what the benchmarks measured:
 * every figure recorded, each judged against its own target (on the value as shown), malformed figures refused with
 * their line, benchmarks that failed or recorded nothing named. No timing is asserted: the one real run below checks
 * the wiring (a benchmark's figures reach the table), not its speed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const root = resolve(__dirname, "..", "..");

interface Figure {
  bench: string;
  figure: string;
  value: number | null;
  unit: "×" | "ms";
  target?: string;
}
interface Summary {
  BENCHMARKS: string[];
  RESULTS_FILE_ENV: string;
  parseTarget(target: string): { op: string; bound: number; written: string };
  targetMet(value: number | null, target: string | undefined, unit?: string): boolean | undefined;
  recordResult(result: { bench: string; figure: string; value: number; unit?: "×" | "ms"; target?: string }): void;
  parseResults(text: string): Figure[];
  summaryTable(results: Figure[], run: { order: string[]; loadStart: number[]; loadEnd: number[]; exitCodes?: Record<string, number | null> }): string;
}

async function summary(): Promise<Summary> {
  return (await import(join(root, "bench", "summary.mjs"))) as Summary;
}

/** The table's row for a figure, split into its five cells. */
function row(table: string, figure: string): string[] {
  const line = table.split("\n").find((l) => l.split("|")[2]?.trim() === figure);
  if (line === undefined) throw new Error(`no row for ${figure} in\n${table}`);
  return line.split("|").slice(1, -1).map((c) => c.trim());
}

const SAMPLE = [
  '{"bench":"cli-start","figure":"list-jobs wall, importexport ÷ aws (v1)","value":0.2549,"target":"<= 0.35"}',
  '{"bench":"cli-start","figure":"list-jobs peak memory, importexport ÷ aws (v1)","value":1.0912,"target":"<= 1.00"}',
  '{"bench":"emulator-getstatus","figure":"SigV4, concurrency 16: throughput","value":0.4949,"target":">= 0.5"}',
  '{"bench":"emulator-getstatus","figure":"SigV2, concurrency 64: throughput","value":0.65,"target":">= 0.5"}',
  "",
  '{"bench":"provider-preview","figure":"preview, 100 jobs, wall","value":1.1049,"target":"<= 1.10"}',
  '{"bench":"provider-preview","figure":"up, 1000 jobs, wall","value":1.28}',
  '{"bench":"emulator-scale","figure":"dashboard state, 10000 jobs, cold","value":62.04,"unit":"ms","target":"<= 100"}',
  '{"bench":"emulator-scale","figure":"dashboard state, 3000 jobs, cold","value":null,"unit":"ms","target":"<= 100"}',
].join("\n");

describe("the benchmark summary table", () => {
  it("judges each figure against its own target, on the value as shown, and leaves figures without one as reported", async () => {
    const { parseResults, summaryTable } = await summary();
    const table = summaryTable(parseResults(SAMPLE), {
      order: ["emulator-getstatus", "emulator-scale", "provider-preview", "cli-start"],
      loadStart: [0.91, 2.67, 5.35],
      loadEnd: [4.15, 2.89, 4.28],
    });
    const lines = table.split("\n");
    expect(lines[0]).toBe("| benchmark | figure | ratio | target | met |");
    expect(row(table, "list-jobs wall, importexport ÷ aws (v1)")).toEqual(["cli-start", "list-jobs wall, importexport ÷ aws (v1)", "0.25×", "≤ 0.35×", "met"]);
    expect(row(table, "list-jobs peak memory, importexport ÷ aws (v1)")).toEqual(["cli-start", "list-jobs peak memory, importexport ÷ aws (v1)", "1.09×", "≤ 1.00×", "**NOT met**"]);
    // 0.4949 shows as 0.49: not met; 1.1049 shows as 1.10: met (the verdict never contradicts the figure beside it).
    expect(row(table, "SigV4, concurrency 16: throughput").slice(2)).toEqual(["0.49×", "≥ 0.5×", "**NOT met**"]);
    expect(row(table, "SigV2, concurrency 64: throughput").slice(2)).toEqual(["0.65×", "≥ 0.5×", "met"]);
    expect(row(table, "preview, 100 jobs, wall").slice(2)).toEqual(["1.10×", "≤ 1.10×", "met"]);
    expect(row(table, "up, 1000 jobs, wall").slice(2)).toEqual(["1.28×", "—", "report"]);
    expect(row(table, "dashboard state, 10000 jobs, cold").slice(2)).toEqual(["62.0 ms", "≤ 100 ms", "met"]);
    expect(row(table, "dashboard state, 3000 jobs, cold").slice(2)).toEqual(["not measured", "≤ 100 ms", "not measured"]);
    // Rows follow the run's order of benchmarks, each benchmark's figures in the order recorded.
    const benches = lines.filter((l) => l.startsWith("| ") && !l.startsWith("| benchmark")).map((l) => l.split("|")[1]?.trim());
    expect(benches).toEqual(["emulator-getstatus", "emulator-getstatus", "emulator-scale", "emulator-scale", "provider-preview", "provider-preview", "cli-start", "cli-start"]);
    expect(table).toContain("4 of 6 targets met; load average (1, 5, 15 min) at start 0.91 2.67 5.35, at end 4.15 2.89 4.28.");
  });

  it("names a benchmark that failed or recorded nothing", async () => {
    const { parseResults, summaryTable } = await summary();
    const results = parseResults('{"bench":"cli-start","figure":"w","value":0.3,"target":"<= 0.35"}');
    const table = summaryTable(results, { order: ["sdk-getstatus", "manifest-parse", "cli-start"], loadStart: [1, 1, 1], loadEnd: [1, 1, 1], exitCodes: { "sdk-getstatus": 1, "manifest-parse": 0, "cli-start": 0 } });
    expect(table).toContain("sdk-getstatus: exited with code 1; its figures may be missing.");
    expect(table).toContain("manifest-parse: recorded no figures.");
    expect(table).not.toContain("cli-start: ");
    expect(table).toContain("1 of 1 targets met");
  });

  it("refuses a malformed figure, naming its line and field", async () => {
    const { parseResults } = await summary();
    const good = '{"bench":"a","figure":"f","value":1}';
    expect(() => parseResults(`${good}\nBENCH nonsense`)).toThrow(/^results line 2: /);
    expect(() => parseResults(`${good}\n{"bench":"a","figure":"f","value":"fast"}`)).toThrow('results line 2: field value: must be a finite number or null, got "fast"');
    expect(() => parseResults('{"figure":"f","value":1}')).toThrow("results line 1: field bench: must be a non-empty string");
    expect(() => parseResults('{"bench":"a","figure":"f","value":1,"target":"at most 2"}')).toThrow('results line 1: target "at most 2" is not a bound such as "<= 0.35" or ">= 0.5"');
    expect(() => parseResults('{"bench":"a","figure":"f","value":1,"unit":"s"}')).toThrow('results line 1: field unit: must be "×" or "ms", got "s"');
  });

  it("parses each kind of bound", async () => {
    const { parseTarget, targetMet } = await summary();
    expect(parseTarget("<= 1.05")).toEqual({ op: "<=", bound: 1.05, written: "1.05" });
    expect(parseTarget(">=2.5")).toEqual({ op: ">=", bound: 2.5, written: "2.5" });
    expect(targetMet(1.5, "< 1.5")).toBe(false);
    expect(targetMet(1.5, "<= 1.5")).toBe(true);
    expect(targetMet(2.5, "> 2.5")).toBe(false);
    expect(targetMet(2.51, "> 2.5")).toBe(true);
    expect(targetMet(100.04, "<= 100", "ms")).toBe(true);
    expect(targetMet(100.06, "<= 100", "ms")).toBe(false);
    expect(targetMet(0.3, undefined)).toBeUndefined();
    expect(targetMet(null, "<= 1")).toBeUndefined();
  });
});

describe("recording figures", () => {
  const saved = process.env["BENCH_RESULTS_FILE"];
  const dirs: string[] = [];
  afterEach(() => {
    if (saved === undefined) delete process.env["BENCH_RESULTS_FILE"];
    else process.env["BENCH_RESULTS_FILE"] = saved;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("appends JSON lines to the file run.mjs names (a NaN as not measured), and nothing without one", async () => {
    const { RESULTS_FILE_ENV, recordResult, parseResults } = await summary();
    expect(RESULTS_FILE_ENV).toBe("BENCH_RESULTS_FILE");
    delete process.env[RESULTS_FILE_ENV];
    recordResult({ bench: "a", figure: "alone", value: 1 });
    const dir = mkdtempSync(join(tmpdir(), "bench-summary-test-"));
    dirs.push(dir);
    const file = join(dir, "results.jsonl");
    process.env[RESULTS_FILE_ENV] = file;
    recordResult({ bench: "cli-start", figure: "list-jobs wall", value: 0.26, target: "<= 0.35" });
    recordResult({ bench: "emulator-scale", figure: "state", value: Number.NaN, unit: "ms", target: "<= 100" });
    expect(parseResults(readFileSync(file, "utf8"))).toEqual([
      { bench: "cli-start", figure: "list-jobs wall", value: 0.26, unit: "×", target: "<= 0.35" },
      { bench: "emulator-scale", figure: "state", value: null, unit: "ms", target: "<= 100" },
    ]);
    // A typo in a benchmark's target fails that benchmark, not the table.
    expect(() => recordResult({ bench: "a", figure: "f", value: 1, target: "≤ 1" })).toThrow(/is not a bound/);
  });

  it("is done by every benchmark npm run bench runs", async () => {
    const { BENCHMARKS } = await summary();
    expect(BENCHMARKS).toEqual(["emulator-getstatus", "emulator-scale", "sdk-getstatus", "provider-preview", "native-preview", "manifest-parse", "cli-start"]);
    for (const bench of BENCHMARKS) {
      const source = readFileSync(join(root, "bench", `${bench}.mjs`), "utf8");
      expect(source, bench).toMatch(/import \{ recordResult \} from "\.\/summary\.mjs";/);
      expect(source, bench).toContain(`recordResult({ bench: "${bench}",`);
    }
  });
});

describe("bench/run.mjs", () => {
  it("ends a real run with the table of the figures its benchmark recorded", () => {
    if (!existsSync(join(root, "dist", "sdk", "index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    const r = spawnSync(process.execPath, [join(root, "bench", "run.mjs"), "--benches", "manifest-parse", "--rounds", "1"], { cwd: root, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const [own, table] = r.stdout.split("=== summary: every ratio against its target ===");
    // The benchmark's own output is still there, before the summary.
    expect(own).toContain("=== bench/manifest-parse.mjs ===");
    expect(own).toMatch(/refusing a \d+ KiB manifest/);
    expect(row(table ?? "", "parseManifest time per key, 4900 ÷ 1000 keys")[0]).toBe("manifest-parse");
    expect(row(table ?? "", "4900 keys: yaml uniqueKeys ÷ parseManifest")[3]).toBe("—");
    expect(table).toMatch(/0 of 0 targets met; load average \(1, 5, 15 min\) at start [\d.]+ [\d.]+ [\d.]+, at end [\d.]+ [\d.]+ [\d.]+\./);
  });

  it("refuses an unknown benchmark name before running anything", () => {
    const r = spawnSync(process.execPath, [join(root, "bench", "run.mjs"), "--benches", "cli-strat"], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("--benches: unknown benchmark cli-strat; one or more of emulator-getstatus,");
  });
});
