/**
 * IoT ListJobs reads a page from an ordered index per filter combination and seeks its nextToken (issue 25 item 4):
 * the work of a page does not grow with the number of jobs, and the answers stay those of a catch-up of every job
 * followed by a filter in creation order (the emulator's ListJobs before the index), across clock steps, status
 * changes, deletions and journal replay. Work is counted (jobs read per page), never timed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { IotError } from "../../../emulator/iot/errors";
import { IotBackend, type IotInput } from "../../../emulator/iot/backend";
import { MemoryStore } from "../../../emulator/core/store";
import { JournalIotStore, type IotRecord, type IotScope, type IotStore } from "../../../emulator/iot/records";

const ACCOUNT = "111111111111";
const scope: IotScope = { accountId: ACCOUNT, region: "us-east-1" };
const arn = (kind: string, name: string): string => `arn:aws:iot:us-east-1:${ACCOUNT}:${kind}/${name}`;
const MINUTE = 60_000;

interface Listed {
  jobId: string;
  status: string;
  lastUpdatedAt: number;
  completedAt?: number;
  thingGroupId?: string;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A backend on `store` with a thing group `fleet` holding one thing, an `empty` one, and a clock the test moves. */
function fleet(store: IotStore = new MemoryStore<IotRecord>()): { backend: IotBackend; clock: { now: number } } {
  const clock = { now: 1_800_000_000_000 };
  const backend = new IotBackend({ store, now: () => clock.now, deletionDelayMs: 1000 });
  backend.handle("CreateThingGroup", { thingGroupName: "fleet" }, scope);
  backend.handle("CreateThing", { thingName: "device" }, scope);
  backend.handle("AddThingToThingGroup", { thingGroupName: "fleet", thingName: "device" }, scope);
  backend.handle("CreateThingGroup", { thingGroupName: "empty" }, scope);
  return { backend, clock };
}

/** Jobs job-<from>… job-<to - 1>: one in ten targets `fleet` and is CANCELED, the others COMPLETED at once (no targets). */
function createJobs(backend: IotBackend, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    backend.handle("CreateJob", { jobId: `job-${i}`, targets: [arn("thinggroup", i % 10 === 0 ? "fleet" : "empty")], document: "{}" }, scope);
    if (i % 10 === 0) backend.handle("CancelJob", { jobId: `job-${i}` }, scope);
  }
}

/** Every page of ListJobs with `filter`, each with the work the backend counted for it. */
function pages(backend: IotBackend, filter: IotInput, maxResults: number): { jobs: Listed[]; work: number }[] {
  const out: { jobs: Listed[]; work: number }[] = [];
  let nextToken: string | undefined;
  do {
    const answer = backend.handle("ListJobs", { ...filter, maxResults, ...(nextToken !== undefined ? { nextToken } : {}) }, scope) as { jobs: Listed[]; nextToken?: string };
    out.push({ jobs: answer.jobs, work: backend.listJobsWork.visited + backend.listJobsWork.caughtUp });
    nextToken = answer.nextToken;
  } while (nextToken !== undefined);
  return out;
}

const listAll = (backend: IotBackend, filter: IotInput, maxResults: number): Listed[] => pages(backend, filter, maxResults).flatMap((p) => p.jobs);

/** The most jobs one page read, paging through every job of `filter` with 100 a page. */
const mostWorkPerPage = (backend: IotBackend, filter: IotInput): number => Math.max(...pages(backend, filter, 100).map((p) => p.work));

describe("IoT ListJobs: the work of a page does not grow with the number of jobs", () => {
  it("reads at most a page and one more job per page at 1,000 and at 20,000 jobs, filtered or not", () => {
    const { backend } = fleet();
    createJobs(backend, 0, 1000);
    const work = (): Record<string, number> => ({
      all: mostWorkPerPage(backend, {}),
      canceled: mostWorkPerPage(backend, { status: "CANCELED" }),
      completedInGroup: mostWorkPerPage(backend, { status: "COMPLETED", thingGroupName: "empty" }),
      canceledSnapshotInGroup: mostWorkPerPage(backend, { status: "CANCELED", targetSelection: "SNAPSHOT", thingGroupName: "fleet" }),
    });
    const small = work();
    createJobs(backend, 1000, 20_000);
    const large = work();
    // A page reads what it lists and one job more (to know whether a nextToken is due). One job in ten is CANCELED:
    // a scan of the scope would read ten jobs per listed one, and every job of the scope per page.
    expect(small).toEqual({ all: 101, canceled: 100, completedInGroup: 101, canceledSnapshotInGroup: 100 });
    expect(large).toEqual({ all: 101, canceled: 101, completedInGroup: 101, canceledSnapshotInGroup: 101 });
    expect(listAll(backend, { status: "CANCELED" }, 250)).toHaveLength(2000);
    expect(listAll(backend, { status: "COMPLETED", thingGroupName: "empty" }, 250)).toHaveLength(18_000);
  });

  it("brings up to date only the jobs the clock has reached: a page after a clock step reads the due jobs once", () => {
    const { backend, clock } = fleet();
    createJobs(backend, 0, 2000);
    const start = new Date(clock.now + 40 * MINUTE).toISOString().slice(0, 16);
    const end = new Date(clock.now + 75 * MINUTE).toISOString().slice(0, 16);
    for (let i = 0; i < 5; i++) backend.handle("CreateJob", { jobId: `later-${i}`, targets: [arn("thinggroup", "fleet")], document: "{}", schedulingConfig: { startTime: start } }, scope);
    // CONTINUOUS jobs whose schedule ends (STOP_ROLLOUT) while their execution is still queued: they stay IN_PROGRESS.
    for (let i = 0; i < 3; i++) {
      backend.handle("CreateJob", { jobId: `ending-${i}`, targets: [arn("thinggroup", "fleet")], document: "{}", targetSelection: "CONTINUOUS", schedulingConfig: { startTime: start, endTime: end } }, scope);
    }
    expect(pages(backend, {}, 100)[0]?.work).toBe(101); // their start is 40 minutes away: nothing to catch up
    clock.now += 41 * MINUTE;
    const first = pages(backend, { status: "IN_PROGRESS" }, 100)[0];
    expect(first?.jobs.map((j) => j.jobId)).toEqual(["later-0", "later-1", "later-2", "later-3", "later-4", "ending-0", "ending-1", "ending-2"]);
    expect(backend.listJobsWork).toEqual({ caughtUp: 8, visited: 8 }); // the eight started, and were listed
    pages(backend, { status: "IN_PROGRESS" }, 100);
    expect(backend.listJobsWork).toEqual({ caughtUp: 0, visited: 8 }); // already up to date
    clock.now += 40 * MINUTE; // past the end: the three are caught up once, and then not again while nothing changes
    pages(backend, { status: "IN_PROGRESS" }, 100);
    expect(backend.listJobsWork).toEqual({ caughtUp: 3, visited: 8 });
    pages(backend, { status: "IN_PROGRESS" }, 100);
    expect(backend.listJobsWork).toEqual({ caughtUp: 0, visited: 8 });
  });
});

describe("IoT ListJobs answers as a catch-up of every job, then a filter in creation order", () => {
  /**
   * Jobs in every state the clock moves: scheduled starts, in-progress executions that time out (their SNAPSHOT job
   * then completes), a deletion that finishes, a CONTINUOUS job that gains a thing group, a namespace.
   */
  function busyFleet(store?: IotStore): { backend: IotBackend; clock: { now: number }; ids: string[] } {
    const { backend, clock } = fleet(store);
    backend.handle("CreateThingGroup", { thingGroupName: "second" }, scope);
    backend.handle("CreateThing", { thingName: "other" }, scope);
    backend.handle("AddThingToThingGroup", { thingGroupName: "second", thingName: "other" }, scope);
    const ids: string[] = [];
    const create = (jobId: string, input: IotInput = {}): void => {
      backend.handle("CreateJob", { jobId, targets: [arn("thinggroup", "fleet")], document: "{}", ...input }, scope);
      ids.push(jobId);
    };
    const at = (minutes: number): string => new Date(clock.now + minutes * MINUTE).toISOString().slice(0, 16);
    for (let i = 0; i < 30; i++) {
      const kind = i % 6;
      if (kind === 0) create(`sched-${i}`, { schedulingConfig: { startTime: at(31 + i) } });
      else if (kind === 1) create(`timeout-${i}`, { timeoutConfig: { inProgressTimeoutInMinutes: 1 + (i % 4) } });
      else if (kind === 2) create(`cont-${i}`, { targetSelection: "CONTINUOUS", namespaceId: i % 4 === 0 ? "ns" : "other-ns" });
      else if (kind === 3) create(`gone-${i}`);
      else if (kind === 4) create(`snap-${i}`, { targets: [arn("thinggroup", "second")] });
      else create(`ns-${i}`, { namespaceId: "ns" });
    }
    for (const id of ids) {
      if (id.startsWith("timeout-")) backend.advanceExecutions(backend.findJobs(id)[0]!, "device", "IN_PROGRESS");
      if (id.startsWith("gone-")) backend.handle("DeleteJob", { jobId: id, force: true }, scope);
      if (id === "cont-8") backend.handle("AssociateTargetsWithJob", { jobId: id, targets: [arn("thinggroup", "second")] }, scope);
    }
    return { backend, clock, ids };
  }

  const groupId = (backend: IotBackend, name: string): string => (backend.handle("DescribeThingGroup", { thingGroupName: name }, scope) as { thingGroupId: string }).thingGroupId;

  const FILTERS: IotInput[] = [
    {},
    { status: "IN_PROGRESS" },
    { status: "SCHEDULED" },
    { status: "COMPLETED" },
    { status: "DELETION_IN_PROGRESS" },
    { targetSelection: "CONTINUOUS" },
    { targetSelection: "SNAPSHOT", status: "IN_PROGRESS" },
    { namespaceId: "ns" },
    { namespaceId: "ns", status: "IN_PROGRESS", targetSelection: "CONTINUOUS" },
    { thingGroupName: "second" },
    { thingGroupName: "second", status: "IN_PROGRESS" },
    { thingGroupName: "fleet", targetSelection: "CONTINUOUS" },
  ];

  /** What each job shows now (DescribeJob brings it up to date), kept when it passes `filter`, in creation order. */
  function expected(backend: IotBackend, ids: readonly string[], filter: IotInput): string[] {
    const groupArn = (name: unknown): string | undefined => (typeof name === "string" ? arn("thinggroup", name) : undefined);
    const out: string[] = [];
    for (const id of ids) {
      let job: { status: string; targetSelection: string; namespaceId?: string; targets: string[]; lastUpdatedAt: number; completedAt?: number };
      try {
        job = (backend.handle("DescribeJob", { jobId: id }, scope) as { job: typeof job }).job;
      } catch (e) {
        if (e instanceof IotError && e.code === "ResourceNotFoundException") continue; // its deletion finished
        throw e;
      }
      if (filter["status"] !== undefined && job.status !== filter["status"]) continue;
      if (filter["targetSelection"] !== undefined && job.targetSelection !== filter["targetSelection"]) continue;
      if (filter["namespaceId"] !== undefined && job.namespaceId !== filter["namespaceId"]) continue;
      const group = groupArn(filter["thingGroupName"]);
      if (group !== undefined && !job.targets.includes(group)) continue;
      out.push(`${id} ${job.status} ${job.lastUpdatedAt} ${job.completedAt ?? "-"}`);
    }
    return out;
  }

  const shown = (jobs: Listed[]): string[] => jobs.map((j) => `${j.jobId} ${j.status} ${j.lastUpdatedAt} ${j.completedAt ?? "-"}`);

  it("at every clock step, for every filter and page size, ListJobs (asked first) lists what DescribeJob then shows", () => {
    const { backend, clock, ids } = busyFleet();
    for (const step of [0, 500, 1000, 2 * MINUTE, 3 * MINUTE, 30 * MINUTE, 5 * MINUTE, 60 * MINUTE]) {
      clock.now += step;
      for (const filter of FILTERS) {
        for (const maxResults of [1, 4, 250]) {
          clock.now += 1; // each listing at its own time, so a catch-up at the wrong moment shows in the times
          const listed = shown(listAll(backend, filter, maxResults));
          expect(listed, `${JSON.stringify(filter)} maxResults ${maxResults} at +${step}`).toEqual(expected(backend, ids, filter));
        }
      }
    }
    // thingGroupId filters like thingGroupName; both together must both match.
    expect(shown(listAll(backend, { thingGroupId: groupId(backend, "second") }, 3))).toEqual(expected(backend, ids, { thingGroupName: "second" }));
    expect(listAll(backend, { thingGroupName: "fleet", thingGroupId: groupId(backend, "second") }, 3).map((j) => j.jobId)).toEqual(["cont-8"]);
  });

  it("lists the same after the journal is replayed, and keeps its index through changes made after", () => {
    const dir = mkdtempSync(join(tmpdir(), "iot-listjobs-"));
    dirs.push(dir);
    const { backend, clock, ids } = busyFleet(new JournalIotStore(dir));
    clock.now += 2 * MINUTE;
    const before = FILTERS.map((f) => shown(listAll(backend, f, 3)));
    backend.close();
    const replayed = new IotBackend({ store: new JournalIotStore(dir), now: () => clock.now, deletionDelayMs: 1000 });
    expect(FILTERS.map((f) => shown(listAll(replayed, f, 3)))).toEqual(before);
    replayed.handle("CancelJob", { jobId: "cont-2", force: true }, scope);
    clock.now += 90 * MINUTE;
    for (const filter of FILTERS) expect(shown(listAll(replayed, filter, 2))).toEqual(expected(replayed, ids, filter));
    replayed.close();
  });
});

describe("IoT ListJobs nextToken", () => {
  it("seeks past the last listed job: a deletion or a new job between pages neither skips nor repeats one", () => {
    const { backend, clock } = fleet();
    createJobs(backend, 0, 10);
    const first = backend.handle("ListJobs", { maxResults: 4 }, scope) as { jobs: Listed[]; nextToken: string };
    expect(first.jobs.map((j) => j.jobId)).toEqual(["job-0", "job-1", "job-2", "job-3"]);
    backend.handle("DeleteJob", { jobId: "job-1", force: true }, scope);
    backend.handle("DeleteJob", { jobId: "job-3", force: true }, scope);
    clock.now += 2000; // both deletions finish
    backend.handle("CreateJob", { jobId: "job-1", targets: [arn("thinggroup", "fleet")], document: "{}" }, scope); // a new job, listed last
    const rest = listAll(backend, { nextToken: first.nextToken }, 3);
    expect(rest.map((j) => j.jobId)).toEqual(["job-4", "job-5", "job-6", "job-7", "job-8", "job-9", "job-1"]);
  });

  /** What ListJobs with `nextToken` threw. */
  const refusal = (backend: IotBackend, nextToken: string): unknown => {
    try {
      backend.handle("ListJobs", { nextToken }, scope);
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it("refuses a token it did not hand out with InvalidRequestException naming nextToken", () => {
    const { backend } = fleet();
    createJobs(backend, 0, 3);
    for (const nextToken of ["garbage!", Buffer.from("s1/").toString("base64url"), Buffer.from("s1/job 1").toString("base64url"), Buffer.from("o").toString("base64url"), "x".repeat(200)]) {
      const error = refusal(backend, nextToken);
      expect(error, nextToken).toBeInstanceOf(IotError);
      expect(error).toMatchObject({ code: "InvalidRequestException", status: 400, message: "nextToken is not a token this API returned." });
    }
  });

  it("refuses an offset token (an older emulator's ListJobs token, or another list's) saying to restart the listing", () => {
    const { backend } = fleet();
    backend.handle("CreateThing", { thingName: "device-2" }, scope);
    backend.handle("AddThingToThingGroup", { thingGroupName: "fleet", thingName: "device-2" }, scope);
    createJobs(backend, 0, 3); // job-0 targets fleet: two executions, so its executions list pages at maxResults 1
    // Before the ordered index, ListJobs' nextToken was base64url("o" + the offset of the next page); an offset
    // counted in a list that has changed since names no job, so it is refused rather than guessed at.
    const executions = backend.handle("ListJobExecutionsForJob", { jobId: "job-0", maxResults: 1 }, scope) as { nextToken?: string };
    for (const nextToken of [Buffer.from("o1").toString("base64url"), Buffer.from("o250").toString("base64url"), executions.nextToken ?? "none"]) {
      expect(refusal(backend, nextToken), nextToken).toMatchObject({
        code: "InvalidRequestException",
        status: 400,
        message: "nextToken is an offset token (from an older emulator's ListJobs, or from another list) that ListJobs no longer accepts; restart the listing without nextToken.",
      });
    }
  });
});

describe("other paths that read the ListJobs index instead of scanning every job", () => {
  it("DeleteJob counts only deletions still in progress: the 11th concurrent one is refused until one finishes", () => {
    const { backend, clock } = fleet();
    createJobs(backend, 0, 30);
    for (let i = 1; i <= 10; i++) backend.handle("DeleteJob", { jobId: `job-${i}`, force: true }, scope);
    let error: unknown;
    try {
      backend.handle("DeleteJob", { jobId: "job-11", force: true }, scope);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "LimitExceededException", message: expect.stringContaining("10 jobs of this account are already being deleted") });
    clock.now += 1000; // the ten deletions finish
    backend.handle("DeleteJob", { jobId: "job-11", force: true }, scope);
    expect(listAll(backend, { status: "DELETION_IN_PROGRESS" }, 250).map((j) => j.jobId)).toEqual(["job-11"]);
  });

  it("a thing joining a group gets an execution of exactly the IN_PROGRESS CONTINUOUS jobs that target the group", () => {
    const { backend } = fleet();
    backend.handle("CreateThing", { thingName: "newcomer" }, scope);
    const job = (jobId: string, input: IotInput): void => void backend.handle("CreateJob", { jobId, targets: [arn("thinggroup", "fleet")], document: "{}", ...input }, scope);
    job("continuous", { targetSelection: "CONTINUOUS" });
    job("snapshot", {});
    job("canceled", { targetSelection: "CONTINUOUS" });
    backend.handle("CancelJob", { jobId: "canceled" }, scope);
    backend.handle("CreateJob", { jobId: "elsewhere", targets: [arn("thinggroup", "empty")], document: "{}", targetSelection: "CONTINUOUS" }, scope);
    backend.handle("AddThingToThingGroup", { thingGroupName: "fleet", thingName: "newcomer" }, scope);
    const things = (jobId: string): string[] => backend.findJobs(jobId)[0]!.executions.map((e) => e.thingName);
    expect(["continuous", "snapshot", "canceled", "elsewhere"].map(things)).toEqual([["device", "newcomer"], ["device"], ["device"], []]);
  });
});
