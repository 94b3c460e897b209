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

/**
 * Time spent per stage, summed over requests. Wall time between marks on the one JS thread, with no await between
 * them, so it is CPU time of that stage (socket I/O in the kernel is not in any stage).
 */
export class StageTimes {
  private readonly sums = new Map<Stage, number>(STAGES.map((s) => [s, 0]));
  private requests = 0;

  /** Adds the time since `since` (a `performance.now()` value) to `stage`; returns now, the next stage's start. */
  lap(stage: Stage, since: number): number {
    const now = performance.now();
    this.sums.set(stage, (this.sums.get(stage) ?? 0) + (now - since));
    return now;
  }

  /** Counts one request whose stages were all measured. */
  done(): void {
    this.requests++;
  }

  /** Forgets the sums. */
  reset(): void {
    for (const s of STAGES) this.sums.set(s, 0);
    this.requests = 0;
  }

  /** `{ requests, totalMs: { parse, auth, … } }`: sums, so two snapshots give the figures of the requests between. */
  snapshot(): { requests: number; totalMs: Record<Stage, number> } {
    return { requests: this.requests, totalMs: Object.fromEntries(this.sums) as Record<Stage, number> };
  }
}
