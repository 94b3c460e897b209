/**
 * One emulator per `--data-dir` (issue 22 item 3). A second emulator on the same directory used to replay and
 * rewrite both journals, so the first one's later acknowledged writes went to replaced files and were lost. Now the
 * second refuses to start (exit 1, naming the directory and the holder's PID) and touches nothing; the first keeps
 * every job. A holder killed with -9 does not leave the directory stuck: the next start takes it at once, and of
 * several started together exactly one does. In process, `startEmulator({ dataDir })` rejects with a
 * DataDirLockedError.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirLockedError, startEmulator } from "../../../emulator";
import { call, importManifest } from "../raw-client";
import { buildBin, spawnEmulator, type SpawnedEmulator } from "../spawn";

const root = resolve(__dirname, "../../..");

/** Runs the bin until it either prints its start-up line (then it is running) or exits (code and stderr). */
function attempt(args: string[]): Promise<{ started: SpawnedEmulator } | { code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [buildBin(), ...args], { cwd: root, env: { ...process.env, NODE_PATH: join(root, "node_modules") }, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  return new Promise((res) => {
    createInterface({ input: child.stdout }).once("line", (line) => {
      const info = JSON.parse(line) as Omit<SpawnedEmulator, "child" | "stderr" | "exited">;
      res({ started: { ...info, child, stderr: () => err, exited } });
    });
    void exited.then((code) => res({ code, stderr: err }));
  });
}

describe("one emulator per data directory", () => {
  const dirs: string[] = [];
  const children: SpawnedEmulator[] = [];
  afterAll(() => {
    for (const c of children) c.child.kill("SIGKILL");
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const freshDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), "ie-lock-"));
    dirs.push(d);
    return d;
  };
  const create = async (emu: SpawnedEmulator): Promise<string> => {
    const r = await call(emu.endpoint, "CreateJob", { JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "false" }, { creds: emu.accounts[0]! });
    expect(r.status).toBe(200);
    return r.result.JobId as string;
  };
  const jobIds = async (emu: SpawnedEmulator): Promise<string[]> => ((await (await fetch(`${emu.endpoint}/_emulator/jobs`)).json()) as { jobs: { jobId: string }[] }).jobs.map((j) => j.jobId).sort();

  it("a second emulator on the same directory refuses to start, naming it and the holder's PID; the first loses nothing", async () => {
    const dir = freshDir();
    const first = await spawnEmulator(["--port", "0", "--data-dir", dir]);
    children.push(first);
    const before = await create(first);
    const second = await attempt(["--port", "0", "--data-dir", dir]);
    if ("started" in second) {
      children.push(second.started);
      throw new Error("the second emulator started on a held data directory");
    }
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`The data directory ${dir} is in use by another emulator (PID ${first.child.pid})`);
    expect(second.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    // The first one's writes after the refused start are still in its journals.
    const after = await create(first);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const again = await spawnEmulator(["--port", "0", "--data-dir", dir]);
    children.push(again);
    expect(await jobIds(again)).toEqual([before, after].sort());
    again.child.kill("SIGTERM");
    await again.exited;
  });

  it("after kill -9 of the holder the next emulator starts at once with every job; of three started together exactly one runs", async () => {
    const dir = freshDir();
    const first = await spawnEmulator(["--port", "0", "--data-dir", dir]);
    children.push(first);
    const job = await create(first);
    first.child.kill("SIGKILL");
    await first.exited;
    const racers = await Promise.all([0, 1, 2].map(() => attempt(["--port", "0", "--data-dir", dir])));
    const started = racers.flatMap((r) => ("started" in r ? [r.started] : []));
    children.push(...started);
    const refused = racers.flatMap((r) => ("started" in r ? [] : [r]));
    expect(started.length).toBe(1);
    const winner = started[0]!;
    for (const r of refused) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`is in use by another emulator (PID ${winner.child.pid})`);
    }
    expect(await jobIds(winner)).toEqual([job]);
    winner.child.kill("SIGTERM");
    expect(await winner.exited).toBe(0);
  });

  it("in process: startEmulator({ dataDir }) rejects with DataDirLockedError while another holds it, and starts once it closed", async () => {
    const dir = freshDir();
    const first = await startEmulator({ dataDir: dir });
    try {
      const refusal = await startEmulator({ dataDir: dir }).then(
        async (e) => {
          await e.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(refusal).toBeInstanceOf(DataDirLockedError);
      expect(refusal).toMatchObject({ name: "DataDirLockedError", dataDir: dir, pid: process.pid });
    } finally {
      await first.close();
    }
    const next = await startEmulator({ dataDir: dir });
    await next.close();
  });
});
