/**
 * Builds the `importexport-emulator` bin from source (plain tsc, CommonJS, into a temp dir) and spawns it as a
 * real child process, so tests exercise the bin's contract: the first stdout line is the JSON with endpoint and
 * accounts; logs go to stderr.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterAll } from "vitest";
import type { Account } from "../../emulator";

const root = resolve(__dirname, "../..");
let built: string | undefined;

/** Compiles emulator/bin.ts (and what it imports) once per test process; returns the bin.js path. */
export function buildBin(): string {
  if (built !== undefined) return built;
  const out = mkdtempSync(join(tmpdir(), "ie-emulator-bin-"));
  const r = spawnSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "--outDir", out, "--rootDir", root, "--module", "node16", "--moduleResolution", "node16",
      "--target", "ES2022", "--strict", "--skipLibCheck", "--esModuleInterop", "--types", "node", join(root, "emulator/bin.ts")],
    { encoding: "utf8", cwd: root },
  );
  if (r.status !== 0) throw new Error(`tsc failed building the emulator bin:\n${r.stdout}${r.stderr}`);
  built = join(out, "emulator/bin.js");
  return built;
}

/** A spawned emulator process. */
export interface SpawnedEmulator {
  child: ChildProcess;
  endpoint: string;
  region: string;
  accounts: Account[];
  /** Everything written to stderr so far. */
  stderr: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/** Spawns the bin with `args` and waits for its first stdout line. */
export function spawnEmulator(args: string[]): Promise<SpawnedEmulator> {
  const bin = buildBin();
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    env: { ...process.env, NODE_PATH: join(root, "node_modules") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`emulator did not start; stderr:\n${err}`)), 20_000);
    lines.once("line", (line) => {
      clearTimeout(timer);
      try {
        const info = JSON.parse(line) as { endpoint: string; region: string; accounts: Account[] };
        resolvePromise({ child, ...info, stderr: () => err, exited });
      } catch (e) {
        reject(new Error(`first stdout line is not JSON: ${line}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}; stderr:\n${err}`));
    });
  });
}

/** What {@link withSpawnedEmulators} gives a describe block. */
export interface SpawnedEmulators {
  /** A new temporary directory (e.g. a `--data-dir`), removed after the block. */
  tempDir(prefix: string): string;
  /** {@link spawnEmulator}; every emulator started is killed (SIGKILL) after the block. */
  start(args: string[]): Promise<SpawnedEmulator>;
}

/** Registers an afterAll hook that kills every emulator the block spawned and removes its temporary directories. */
export function withSpawnedEmulators(): SpawnedEmulators {
  const running: SpawnedEmulator[] = [];
  const dirs: string[] = [];
  afterAll(() => {
    for (const e of running) e.child.kill("SIGKILL");
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return {
    tempDir(prefix) {
      const d = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    async start(args) {
      const e = await spawnEmulator(args);
      running.push(e);
      return e;
    },
  };
}
