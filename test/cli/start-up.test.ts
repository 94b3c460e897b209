/**
 * What a command loads when it starts (issue 25: CLI start ≤ 0.35× the AWS CLI v1; bench/cli-start.mjs measures it):
 * the job verbs load the SDK's client, undici's Agent and commander, and not the YAML parser, the manifest validator,
 * SigV4, the AWS credential chain, @smithy/core (for the retry constants), the emulator or undici's whole package;
 * a command that sends nothing loads neither undici nor fast-xml-parser. Checked from the module list of a real
 * `node dist/cli/bin.js` process (a `-r` preload writes `require.cache` at exit), not from timings. V8's tiers above
 * the interpreter are turned off before the program is loaded, except for the emulator. The emulator's flags and
 * verbs, registered only when the command line names `emulator`, still show in its help.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { importManifest } from "../helpers/manifests";
import { cliBin, emulatorEnv, ensureCliBuilt, isolatedEnv, runCli, type CliRun } from "./helpers";

/** Modules no job verb needs at start-up, by path. */
const NOT_AT_START: Record<string, RegExp> = {
  "the YAML parser": /\/node_modules\/yaml\//,
  "the manifest codec and validator": /\/dist\/sdk\/manifest\//,
  "SigV4 (@smithy/signature-v4)": /\/node_modules\/@smithy\/signature-v4\//,
  "the AWS credential chain": /\/node_modules\/@aws-sdk\/credential-provider/,
  "STS": /\/node_modules\/@aws-sdk\/client-sts\//,
  "@smithy/core and @smithy/util-retry (the retry constants are written out)": /\/node_modules\/@smithy\/(core|util-retry)\//,
  "the emulator": /\/dist\/emulator\//,
  "undici's whole package (fetch, WebSocket, cache, mocks)": /\/node_modules\/undici\/index\.js$/,
};

describe("importexport start-up: a job verb loads only what it needs", () => {
  let emu: TestEmulator;
  let dir: string;
  let preload: string;

  /** Runs the command with the preload; resolves with its result and the files it had loaded when it exited. */
  const runTraced = (args: string[], env: NodeJS.ProcessEnv): Promise<CliRun & { loaded: string[] }> => {
    const out = join(dir, `loaded-${Math.random().toString(36).slice(2)}.json`);
    return new Promise((done, fail) => {
      execFile(process.execPath, ["-r", preload, cliBin, ...args], { env: { ...env, LOADED_OUT: out }, timeout: 30_000 }, (err, stdout, stderr) => {
        if (err?.killed) return fail(new Error(`importexport ${args.join(" ")} timed out`));
        const code = err ? (err as { code?: unknown }).code : 0;
        done({ code: typeof code === "number" ? code : null, stdout, stderr, loaded: JSON.parse(readFileSync(out, "utf8")) as string[] });
      });
    });
  };
  const expectLean = (loaded: string[]): void => {
    for (const [what, pattern] of Object.entries(NOT_AT_START)) expect(loaded.filter((f) => pattern.test(f)), what).toEqual([]);
    // Still undici: its Agent is the transport.
    expect(loaded.some((f) => f.endsWith("/node_modules/undici/lib/dispatcher/agent.js"))).toBe(true);
  };

  beforeAll(async () => {
    await ensureCliBuilt();
    emu = await startTestEmulator();
    dir = mkdtempSync(join(tmpdir(), "importexport-cli-startup-"));
    preload = join(dir, "loaded.cjs");
    writeFileSync(preload, 'process.on("exit", () => require("node:fs").writeFileSync(process.env.LOADED_OUT, JSON.stringify(Object.keys(require.cache))));\n');
  });
  afterAll(async () => {
    await emu?.close();
  });

  it("list-jobs and get-status with keys in the environment: no YAML, validator, SigV4, credential chain, emulator or full undici", async () => {
    const env = emulatorEnv(emu);
    const created = await runCli(["create-job", "--job-type", "Import", "--manifest", importManifest("alice-import")], env);
    expect(created.code, created.stderr).toBe(0);
    const jobId = (JSON.parse(created.stdout) as { JobId: string }).JobId;

    const list = await runTraced(["list-jobs"], env);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { Jobs: { JobId: string }[] }).Jobs.map((j) => j.JobId)).toEqual([jobId]);
    expectLean(list.loaded);

    const status = await runTraced(["get-status", "--job-id", jobId, "--output", "text"], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(jobId);
    expectLean(status.loaded);
  });

  it("a command that sends nothing (--version, a usage error) loads neither undici nor fast-xml-parser", async () => {
    for (const args of [["--version"], ["get-status"]]) {
      const r = await runTraced(args, emulatorEnv(emu));
      expect(r.code, args.join(" ")).toBe(args[0] === "--version" ? 0 : 2);
      expect(r.loaded.filter((f) => /\/node_modules\/(undici|fast-xml-parser)\//.test(f)), args.join(" ")).toEqual([]);
    }
  });

  it("V8's optimizing and baseline tiers are off and the young generation does not grow, set before the program loads, except for the long-running emulator", async () => {
    // Records each setFlagsFromString call and whether the program module had been loaded by then.
    const flagsPreload = join(dir, "flags.cjs");
    writeFileSync(
      flagsPreload,
      'const v8 = require("node:v8"); const set = v8.setFlagsFromString; const calls = [];\n' +
        'v8.setFlagsFromString = (flags) => { calls.push({ flags, programLoaded: Object.keys(require.cache).some((f) => f.endsWith("/dist/cli/program.js")) }); return set(flags); };\n' +
        'process.on("exit", () => require("node:fs").writeFileSync(process.env.FLAGS_OUT, JSON.stringify(calls)));\n',
    );
    const flagsOf = async (args: string[]): Promise<{ flags: string; programLoaded: boolean }[]> => {
      const out = join(dir, `flags-${Math.random().toString(36).slice(2)}.json`);
      const r = await new Promise<number | null>((done) =>
        execFile(process.execPath, ["-r", flagsPreload, cliBin, ...args], { env: { ...emulatorEnv(emu), FLAGS_OUT: out }, timeout: 30_000 }, (err) =>
          done(err ? ((err as { code?: unknown }).code as number) : 0)),
      );
      expect(r, args.join(" ")).toBe(0);
      return JSON.parse(readFileSync(out, "utf8")) as { flags: string; programLoaded: boolean }[];
    };
    const verb = await flagsOf(["list-jobs"]);
    expect(verb).toHaveLength(1);
    expect(verb[0]?.programLoaded).toBe(false);
    expect(verb[0]?.flags.split(" ").sort()).toEqual(["--liftoff-only", "--no-maglev", "--no-opt", "--no-sparkplug", "--semi-space-growth-factor=1"]);
    // The emulator serves requests for as long as it runs: only WebAssembly stays on the baseline tier.
    expect(await flagsOf(["emulator", "--help"])).toEqual([{ flags: "--liftoff-only", programLoaded: false }]);
  });

  it("--signature-version v4 loads SigV4 when it signs, and the call succeeds", async () => {
    const r = await runTraced(["list-jobs", "--signature-version", "v4"], emulatorEnv(emu));
    expect(r.code, r.stderr).toBe(0);
    expect(r.loaded.some((f) => /\/node_modules\/@smithy\/signature-v4\//.test(f))).toBe(true);
  });

  it("validate loads the YAML parser and the validator when it runs, and still reports problems with line:column", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "manifestVersion: 2.0\nbucket: [unclosed\n");
    const r = await runTraced(["validate", file], isolatedEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^importexport: MalformedManifestException: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: `));
    expect(r.loaded.some((f) => /\/node_modules\/yaml\//.test(f))).toBe(true);
  });

  it("the emulator's flags and verbs, added when the command line names it, show in `emulator --help` and `help emulator`", async () => {
    for (const args of [["emulator", "--help"], ["help", "emulator"]]) {
      const r = await runCli(args, isolatedEnv());
      expect(r.code, r.stderr).toBe(0);
      for (const flag of ["--port <port>", "--data-dir <dir>", "--no-verify-signatures"]) expect(r.stdout, args.join(" ")).toContain(flag);
      for (const verb of ["advance", "jobs", "accounts", "clock", "iot"]) expect(r.stdout, args.join(" ")).toMatch(new RegExp(`^\\s+${verb}\\b`, "m"));
    }
    // The top-level help lists the command without loading it.
    const top = await runTraced(["--help"], isolatedEnv());
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^\s+emulator\b/m);
    expect(top.loaded.filter((f) => /\/dist\/emulator\//.test(f))).toEqual([]);
  });

  it("a mistyped emulator verb is still named, and starts no emulator", async () => {
    const r = await runCli(["emulator", "advnce", "X"], isolatedEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^importexport: UsageError: unknown emulator verb 'advnce'; the verbs are advance, jobs, accounts, clock, iot/);
  });
});
