/** Request counters for admin `GET /_emulator/stats`: how many API calls arrived, per Action. */
export class RequestStats {
  private byAction = new Map<string, number>();
  private total = 0;
  /** Per-stage timings of Import/Export requests; only with `--profile-stages` (a benchmark's instrument). */
  readonly stages: StageTimes | undefined;

  constructor(options: { profileStages?: boolean } = {}) {
    this.stages = options.profileStages === true ? new StageTimes() : undefined;
  }

  /** Counts one API request. Unknown Action names share one bucket so junk cannot grow the table. */
  count(action: string, known: boolean): void {
    const key = known ? action : "(unknown)";
    this.byAction.set(key, (this.byAction.get(key) ?? 0) + 1);
    this.total++;
  }

  /** Forgets all counts. */
  reset(): void {
    this.byAction.clear();
    this.total = 0;
    this.stages?.reset();
  }

  /** JSON form: `{ total, byAction: { CreateJob: 2, ... } }`, plus `stages` when they are measured. */
  snapshot(): { total: number; byAction: Record<string, number>; stages?: ReturnType<StageTimes["snapshot"]> } {
    const out = { total: this.total, byAction: Object.fromEntries(this.byAction) };
    return this.stages === undefined ? out : { ...out, stages: this.stages.snapshot() };
  }
}

/**
 * The stages of one Import/Export request, in order (the names the benchmark prints): form parsing and checks,
 * signature verification, the backend, XML, the response handed to the socket (`res.end`, its system call
 * included), the log line.
 */
export const STAGES = ["parse", "auth", "dispatch", "serialize", "write", "log"] as const;
/** One of {@link STAGES}. */
export type Stage = (typeof STAGES)[number];

/** How many recent requests each stage's median is taken over. */
export const RECENT_STAGE_SAMPLES = 4096;

/**
 * Time spent per stage, summed over requests, and the median of the last {@link RECENT_STAGE_SAMPLES} requests.
 * Wall time between marks on the one JS thread, with no await between them, so it is CPU time of that stage (socket
 * I/O in the kernel is not in any stage) — unless the process is descheduled in between: on a loaded machine one
 * request in a few hundred loses a whole time slice (milliseconds) inside a stage, mostly at the socket write's system
 * call, which moves the sums a lot and the medians hardly at all.
 */
export class StageTimes {
  private readonly sums = new Map<Stage, number>(STAGES.map((s) => [s, 0]));
  private readonly recent = new Map<Stage, { ms: Float64Array; laps: number }>(STAGES.map((s) => [s, { ms: new Float64Array(RECENT_STAGE_SAMPLES), laps: 0 }]));
  private requests = 0;

  /** Adds the time since `since` (a `performance.now()` value) to `stage`; returns now, the next stage's start. */
  lap(stage: Stage, since: number): number {
    const now = performance.now();
    this.sums.set(stage, (this.sums.get(stage) ?? 0) + (now - since));
    const recent = this.recent.get(stage);
    if (recent !== undefined) recent.ms[recent.laps++ % RECENT_STAGE_SAMPLES] = now - since;
    return now;
  }

  /** Counts one request whose stages were all measured. */
  done(): void {
    this.requests++;
  }

  /** Forgets the sums and the recent samples. */
  reset(): void {
    for (const s of STAGES) this.sums.set(s, 0);
    for (const r of this.recent.values()) r.laps = 0;
    this.requests = 0;
  }

  /**
   * `{ requests, totalMs: { parse, auth, … }, recentMedianUs: { parse, auth, … } }`: sums, so two snapshots give the
   * figures of the requests between, and each stage's median over its last {@link RECENT_STAGE_SAMPLES} laps, in µs.
   */
  snapshot(): { requests: number; totalMs: Record<Stage, number>; recentMedianUs: Record<Stage, number> } {
    const medianUs = (stage: Stage): number => {
      const r = this.recent.get(stage);
      const n = r === undefined ? 0 : Math.min(r.laps, RECENT_STAGE_SAMPLES);
      if (r === undefined || n === 0) return 0;
      const sorted = r.ms.slice(0, n).sort();
      return (sorted[Math.floor(n / 2)] ?? 0) * 1000;
    };
    return {
      requests: this.requests,
      totalMs: Object.fromEntries(this.sums) as Record<Stage, number>,
      recentMedianUs: Object.fromEntries(STAGES.map((s) => [s, medianUs(s)])) as Record<Stage, number>,
    };
  }
}
