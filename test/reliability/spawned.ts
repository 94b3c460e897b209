/**
 * A spawned `importexport-emulator --data-dir` for one describe block (the hostile-input and load runs measure the
 * emulator's own process: crashes, RSS), and its resident set size.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { spawnEmulator, type SpawnedEmulator } from "../emulator/spawn";

/** Resident set size of a process (Linux /proc), MiB with one decimal. */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : 0;
}

/** Registers hooks that spawn the emulator with a journal in a temp dir and SIGKILL it afterwards. */
export function withSpawnedEmulator(name: string): () => { emu: SpawnedEmulator; dataDir: string } {
  let emu: SpawnedEmulator | undefined;
  let dataDir = "";
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `ie-rel-${name}-`));
    emu = await spawnEmulator(["--port", "0", "--data-dir", dataDir, "--log-format", "json"]);
  }, 120_000);
  afterAll(async () => {
    emu?.child.kill("SIGKILL");
    if (emu) await emu.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });
  return () => {
    if (!emu) throw new Error("the spawned emulator is only available inside tests");
    return { emu, dataDir };
  };
}
