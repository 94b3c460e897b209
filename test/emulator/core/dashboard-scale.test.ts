/**
 * The dashboard state at scale (issue 22 item 1). It used to redact every string with every job's signature, a new
 * redactor per string with a quadratic de-duplication: 2.3 s at 500 jobs, no answer within 120 s at 2,000, and the
 * API waited meanwhile. Now a state answer is one page of jobs, redacted by one redactor that looks up the few
 * signatures a text could hold. Against a real emulator process started on a journal of 2,000 jobs (some of
 * whose manifests carry other jobs' signatures and the account's secret key, raw and percent-encoded):
 * a state answers, its pages together list every job once, no secret shows, and the emulator's CPU per state
 * answer at 2,000 jobs stays within a small factor of the same at 200 (a cost per job would make it ~10×; the old
 * one did not answer at all). The figures at 1,000 and 10,000 jobs are in bench/emulator-scale.mjs.
 */
import { readFileSync, rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNTS } from "../../../emulator";
import { journalDir, journalJobId, journalSignature, type JournalJob } from "../../helpers/job-journal";
import { spawnEmulator, type SpawnedEmulator } from "../spawn";

const alice = DEFAULT_ACCOUNTS[0]!;
const bob = DEFAULT_ACCOUNTS[1]!;
/** How long a state may take before the test calls it stuck (a bound on the wait, not a speed target). */
const STUCK_MS = 30_000;

interface PageInfo {
  page: number;
  pageSize: number;
  total: number;
  perAccount: Record<string, number>;
}
interface State {
  jobKinds: { importExport: { jobId: string; accountId: string; manifest: string }[] };
  pages: { importExport: PageInfo };
}

/**
 * `n` jobs, alternating accounts in blocks; every 50th pastes the previous job's signature into its manifest, the
 * next one a percent-encoded copy of a signature 1,000 jobs away, the next Alice's secret key.
 */
function jobs(n: number): JournalJob[] {
  return Array.from({ length: n }, (_, i) => {
    const owner = i % 10 < 7 ? alice : bob;
    const bucket = owner === alice ? "alice-import" : "bob-import";
    const paste = i % 50 === 1 ? journalSignature(i - 1) : i % 50 === 2 ? encodeURIComponent(journalSignature((i + 1000) % n)) : i % 50 === 3 ? alice.secretAccessKey : undefined;
    // "Jane " first: a YAML plain scalar cannot start with the `%` of an encoded copy.
    return { accountId: owner.accountId, bucket, ...(paste !== undefined ? { name: `Jane ${paste}` } : {}) };
  });
}

/** User + system CPU seconds a process has used (Linux /proc; USER_HZ = 100). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function state(emu: SpawnedEmulator, query = ""): Promise<{ text: string; value: State }> {
  const res = await fetch(`${emu.endpoint}/_emulator/ui/state${query}`, { signal: AbortSignal.timeout(STUCK_MS) });
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(200);
  return { text, value: JSON.parse(text) as State };
}

describe("dashboard state with thousands of jobs", () => {
  const running: { emu: SpawnedEmulator }[] = [];
  const dirs: string[] = [];
  afterAll(() => {
    for (const r of running) r.emu.child.kill("SIGKILL");
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const start = async (n: number): Promise<SpawnedEmulator> => {
    const dir = journalDir(jobs(n));
    dirs.push(dir);
    const emu = await spawnEmulator(["--port", "0", "--data-dir", dir]);
    running.push({ emu });
    return emu;
  };

  it("2,000 jobs: pages of 100 list every job once, newest first, and no signature or key shows, pasted or encoded", async () => {
    const n = 2000;
    const emu = await start(n);
    const first = await state(emu);
    expect(first.value.pages.importExport).toEqual({ page: 0, pageSize: 100, total: n, perAccount: { [alice.accountId]: 1400, [bob.accountId]: 600 } });
    expect(first.value.jobKinds.importExport[0]?.jobId).toBe(journalJobId(n - 1));

    const seen = new Set<string>();
    const texts: string[] = [];
    for (let page = 0; page < n / 100; page++) {
      const { text, value } = page === 0 ? first : await state(emu, `?importExport=${page}`);
      expect(value.pages.importExport.page).toBe(page);
      expect(value.jobKinds.importExport.length).toBe(100);
      for (const job of value.jobKinds.importExport) seen.add(job.jobId);
      texts.push(text);
    }
    expect(seen.size).toBe(n);
    // A page past the last answers the last one (jobs may have gone since the page asked).
    expect((await state(emu, "?importExport=99")).value.pages.importExport.page).toBe(n / 100 - 1);

    const all = texts.join("\n");
    const signatures = new Set(Array.from({ length: n }, (_, i) => journalSignature(i)));
    // Every base64 token of a signature's shape in any answer: none is a job's signature.
    const shaped = all.match(/[A-Za-z0-9+/]{27}=/g) ?? [];
    expect(shaped.filter((t) => signatures.has(t))).toEqual([]);
    for (let i = 1; i < n; i += 50) {
      for (const secret of [journalSignature(i - 1), encodeURIComponent(journalSignature((i + 1001) % n)), alice.secretAccessKey]) {
        expect(all.includes(secret), secret).toBe(false);
      }
    }
    // The pastes were shown, redacted (not dropped with the manifest).
    expect(all.match(/name: Jane \*\*\*\\n/g)?.length).toBe((n / 50) * 3);
  });

  it("a bad page number is refused with 400 naming the parameter", async () => {
    const emu = running[0]?.emu ?? (await start(10));
    for (const query of ["?importExport=-1", "?importExport=x", "?iot=1.5", "?importExport=1&importExport=2"]) {
      const res = await fetch(`${emu.endpoint}/_emulator/ui/state${query}`);
      const body = (await res.json()) as { error: string };
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(body.error).toMatch(/^The state query parameter (importExport|iot) must be one page number/);
    }
  });

  it("emulator CPU per state answer grows far less than the number of jobs (200 → 2,000: under 3×)", async () => {
    const small = await start(200);
    const large = running[0]?.emu ?? (await start(2000));
    /** CPU seconds of `rounds` state answers (after one to warm up). */
    const cost = async (emu: SpawnedEmulator, rounds: number): Promise<number> => {
      await state(emu);
      const before = cpuSeconds(emu.child.pid!);
      for (let i = 0; i < rounds; i++) await state(emu);
      return cpuSeconds(emu.child.pid!) - before;
    };
    // Interleaved, so load from elsewhere on the machine falls on both sizes alike.
    let smallCpu = 0;
    let largeCpu = 0;
    for (let r = 0; r < 3; r++) {
      smallCpu += await cost(small, 15);
      largeCpu += await cost(large, 15);
    }
    // /proc counts in 10 ms ticks: the floor keeps a near-zero small figure from making a huge ratio.
    const ratio = largeCpu / Math.max(smallCpu, 0.05);
    expect({ smallCpu, largeCpu, ratio: ratio < 3 }).toEqual({ smallCpu, largeCpu, ratio: true });
  });
});
