/**
 * Spawning the built `importexport` command (dist/cli/bin.js), as users run it. `ensureCliBuilt()` rebuilds dist/
 * when any source of the CLI, the SDK or the emulator is newer than the entry point.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";

/** Repository root. */
export const repoRoot = resolve(__dirname, "..", "..");
/** The built entry point the package's `bin` points at. */
export const cliBin = join(repoRoot, "dist", "cli", "bin.js");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ with tsconfig.build.json unless dist/cli/bin.js is newer than every source it depends on. */
export async function ensureCliBuilt(): Promise<void> {
  const sources = Math.max(...["cli", "sdk", "emulator"].map((d) => newestSource(join(repoRoot, d))));
  if (existsSync(cliBin) && statSync(cliBin).mtimeMs >= sources) return;
  // tsc exits non-zero when any file of the build has a type error, yet still emits: judge by the output file.
  await new Promise<void>((done) => {
    execFile(process.execPath, [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: repoRoot }, () => done());
  });
  if (!existsSync(cliBin)) throw new Error("tsc -p tsconfig.build.json did not produce dist/cli/bin.js");
}

/** What one run of the command printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * An environment with nothing from the machine's AWS setup: a fresh HOME (no ~/.aws), no IMDS lookups (a missing
 * credential must fail fast), plus `extra`.
 */
export function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), "importexport-cli-home-"));
  return {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: home,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: join(home, "aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "aws-credentials"),
    ...extra,
  };
}

/** {@link isolatedEnv} signed as the emulator's first account and pointed at it (as a user's shell would be). */
export function emulatorEnv(emulator: { endpoint: string; account: { accessKeyId: string; secretAccessKey: string } }): NodeJS.ProcessEnv {
  return isolatedEnv({
    AWS_ACCESS_KEY_ID: emulator.account.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulator.account.secretAccessKey,
    AWS_ENDPOINT_URL_IMPORTEXPORT: emulator.endpoint,
    AWS_DEFAULT_REGION: "us-east-1",
  });
}

/** Runs `node dist/cli/bin.js ...args` asynchronously (the in-process emulator must keep answering meanwhile). */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, cwd = repoRoot): Promise<CliRun> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [cliBin, ...args], { env, cwd, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err?.killed) {
        fail(new Error(`importexport ${args.join(" ")} timed out`));
        return;
      }
      // A non-zero exit is not a failure here: exit codes are what the tests check.
      const code = err ? (err as { code?: unknown }).code : 0;
      done({ code: typeof code === "number" ? code : null, stdout, stderr });
    });
  });
}

/** A spawned long-running command (the emulator) and the first line it printed. */
export interface SpawnedCli {
  child: ChildProcess;
  firstLine: string;
  /** Resolves with the next stdout line (after the first). */
  nextLine: () => Promise<string>;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
}

/** Spawns the command and waits for its first stdout line. */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<SpawnedCli> {
  const child = spawn(process.execPath, [cliBin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => {
    stderr += b.toString();
  });
  return new Promise((done, fail) => {
    const lines = createInterface({ input: child.stdout! });
    const later: string[] = [];
    const waiting: ((line: string) => void)[] = [];
    const nextLine = (): Promise<string> => new Promise((take) => (later.length > 0 ? take(later.shift()!) : waiting.push(take)));
    lines.once("line", (firstLine) => {
      lines.on("line", (line) => (waiting.length > 0 ? waiting.shift()!(line) : later.push(line)));
      done({ child, firstLine, nextLine, exited });
    });
    void exited.then((code) => fail(new Error(`importexport ${args.join(" ")} exited (${code}) before printing a line: ${stderr}`)));
  });
}

/** Every failure is exactly one line on stderr, `importexport: <Code>: ...`, and never a stack trace; returns the line. */
export function expectOneLineError(r: CliRun, code: string): string {
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^importexport: ${code}: \\S`));
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return lines[0] ?? "";
}

/** What {@link withCliEmulator} gives a describe block. */
export interface CliEmulator {
  emu: () => TestEmulator;
  /** The block's scratch directory, the CLI's working directory. */
  dir: () => string;
  /** {@link emulatorEnv} of the emulator, fresh before each test. */
  env: () => NodeJS.ProcessEnv;
  /** Runs the built CLI in {@link dir} with {@link env}. */
  cli: (...args: string[]) => Promise<CliRun>;
}

/**
 * Registers the hooks a CLI suite against an in-process emulator needs: the CLI built and an emulator started for
 * the block (with a scratch directory named `dirPrefix…`), and before each test the emulator reset and a fresh
 * environment signed as its first account.
 */
export function withCliEmulator(dirPrefix: string): CliEmulator {
  let emu: TestEmulator | undefined;
  let dir = "";
  let env: NodeJS.ProcessEnv = {};
  const running = (): TestEmulator => {
    if (emu === undefined) throw new Error("withCliEmulator(): the emulator is only available inside tests");
    return emu;
  };
  beforeAll(async () => {
    await ensureCliBuilt();
    emu = await startTestEmulator();
    dir = mkdtempSync(join(tmpdir(), dirPrefix));
  });
  afterAll(async () => {
    await emu?.close();
  });
  beforeEach(async () => {
    await running().admin.reset();
    env = emulatorEnv(running());
  });
  return { emu: running, dir: () => dir, env: () => env, cli: (...args) => runCli(args, env, dir) };
}
