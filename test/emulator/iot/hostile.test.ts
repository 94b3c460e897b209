/**
 * Issue 22, second round of hostile testing, the IoT findings: GetJobDocument amplification (2), a journal growing
 * with the square of a job's executions (6), a repeated query member reordered under a valid signature (7), targets
 * of other partitions (8), a mistyped journal record answered with a 500 (9), the document size counted in
 * characters instead of bytes (10). Each part drives the real emulator (in-process over HTTP, or the spawned bin),
 * the shared validator (sdk/iot/validate) and the provider's check.
 */
import { request } from "node:http";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  AddThingToThingGroupCommand,
  AssociateTargetsWithJobCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeJobCommand,
  GetJobDocumentCommand,
  ListJobExecutionsForJobCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { SignatureV4 } from "@smithy/signature-v4";
import { beforeEach, describe, expect, it } from "vitest";
import { IotBackend } from "../../../emulator/iot/backend";
import { JournalIotStore, recordKey, type IotJobRecord, type IotRecord, type IotStore } from "../../../emulator/iot/records";
import { JournalError, RecordJournal } from "../../../emulator/core/journal";
import { checkIotInputs } from "../../../provider/iot/inputs";
import { NodeSha256 } from "../../../sdk/signing/sigv4";
import { MAX_DOCUMENT_BYTES, jobRules, type IotProblem } from "../../../sdk/iot/validate";
import { startTestEmulator, withEmulator } from "../../helpers/emulator";
import { iotAdmin, iotClient, signedIotRequest } from "../../helpers/iot";
import { spawnEmulator, withSpawnedEmulators, type SpawnedEmulator } from "../spawn";

/** The error an SDK call rejected with. */
async function failure(p: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error("expected the call to fail");
}

/** The problems the shared validator reports for a CreateJob input. */
function createJobProblems(input: Record<string, unknown>): IotProblem[] {
  const problems: IotProblem[] = [];
  jobRules("CreateJob", input, (p) => problems.push(p));
  return problems;
}

const ACCOUNT = "111111111111";
const thingArn = (name: string, partition = "aws"): string => `arn:${partition}:iot:us-east-1:${ACCOUNT}:thing/${name}`;

/** The amplifying payload of the report: a ~31 KB document of 1,423 placeholders and a 30 KB parameter (62 KB body). */
const AMPLIFYING = {
  document: `{"x":"${"${aws:iot:parameter:p}".repeat(1423)}"}`,
  documentParameters: { p: "a".repeat(30720) },
};

describe("IoT hostile inputs (issue 22): emulator over HTTP, shared validator and IotJob's check", () => {
  const emu = withEmulator({ iotDeletionDelayMs: 60_000 });
  let iot: IoTClient;
  beforeEach(async () => {
    await emu().admin.reset();
    iot = iotClient(emu().endpoint, emu().account);
    expect(emu().account.accountId).toBe(ACCOUNT);
    await iot.send(new CreateThingCommand({ thingName: "t1" }));
  });

  it("item 2: CreateJob refuses documentParameters that substitute past 32 KB (the report's exact 62 KB payload), at every layer", async () => {
    const body = JSON.stringify({ targets: [thingArn("t1")], ...AMPLIFYING });
    expect(Buffer.byteLength(body)).toBeGreaterThan(62_000);
    expect(Buffer.byteLength(body)).toBeLessThan(63_000);
    const refused = await failure(iot.send(new CreateJobCommand({ jobId: "amp", targets: [thingArn("t1")], ...AMPLIFYING })));
    expect(refused).toEqual({
      name: "InvalidRequestException",
      status: 400,
      message: "documentParameters would make the job document 43714568 bytes once substituted into its placeholders; a job document can be at most 32768 bytes (32 KB) after substitution.",
    });
    expect((await failure(iot.send(new DescribeJobCommand({ jobId: "amp" })))).name).toBe("ResourceNotFoundException");
    // The message names sizes, never the parameter's value (it may be secret).
    expect(refused.message).not.toContain("aaaa");

    // The shared validator, and through it IotJob's check, refuse the same input before any call.
    expect(createJobProblems({ targets: [thingArn("t1")], ...AMPLIFYING })).toEqual([
      { field: "documentParameters", rule: expect.stringContaining("43714568 bytes once substituted") as unknown as string, code: "InvalidRequestException" },
    ]);
    const checked = checkIotInputs({}, { jobId: "amp", targets: [thingArn("t1")], ...AMPLIFYING });
    expect(checked.failures).toEqual([{ property: "documentParameters.(value)", reason: expect.stringMatching(/43714568 bytes once substituted.*at most 32768 bytes.*\(InvalidRequestException\)$/) }]);
    expect(JSON.stringify(checked.failures)).not.toContain("aaaa");
  });

  it("item 2: a substitution that fits is served, at most 32 KB; placeholders without a value (or named like Object members) stay as written", async () => {
    // 1,423 placeholders of 22 bytes, each replaced by 23 bytes: 32,737 bytes, within the limit.
    const fits = { document: AMPLIFYING.document, documentParameters: { p: "b".repeat(23) } };
    await iot.send(new CreateJobCommand({ jobId: "fits", targets: [thingArn("t1")], ...fits }));
    const doc = (await iot.send(new GetJobDocumentCommand({ jobId: "fits" }))).document ?? "";
    expect(Buffer.byteLength(doc)).toBe(32737);
    expect(doc).toBe(`{"x":"${"b".repeat(23 * 1423)}"}`);
    // One byte more per placeholder substitutes to 34,160 bytes: refused.
    const over = { document: AMPLIFYING.document, documentParameters: { p: "b".repeat(24) } };
    expect(await failure(iot.send(new CreateJobCommand({ jobId: "over", targets: [thingArn("t1")], ...over })))).toMatchObject({ name: "InvalidRequestException", message: expect.stringContaining("34160 bytes once substituted") });

    const plain = '{"a":"${aws:iot:parameter:constructor}","b":"${aws:iot:parameter:missing}","c":"${aws:iot:parameter:url}"}';
    await iot.send(new CreateJobCommand({ jobId: "plain", targets: [thingArn("t1")], document: plain, documentParameters: { url: "https://x" } }));
    expect((await iot.send(new GetJobDocumentCommand({ jobId: "plain" }))).document).toBe('{"a":"${aws:iot:parameter:constructor}","b":"${aws:iot:parameter:missing}","c":"https://x"}');
  });

  it("item 10: the document limit counts UTF-8 bytes: 16,008 emoji (64 KB) are refused; 32,768 bytes exactly pass", async () => {
    const emoji = "\u{1F600}";
    const hostile = `{"e":"${emoji.repeat(16008)}"}`;
    expect([...hostile].length).toBeLessThan(32768); // what the old character count let through
    expect(Buffer.byteLength(hostile)).toBe(64040);
    const refused = await failure(iot.send(new CreateJobCommand({ jobId: "emoji", targets: [thingArn("t1")], document: hostile })));
    expect(refused).toEqual({ name: "InvalidRequestException", status: 400, message: "document is 64040 bytes of UTF-8; a job document can be at most 32768 bytes (32 KB)." });
    expect(createJobProblems({ targets: [thingArn("t1")], document: hostile })).toEqual([
      { field: "document", rule: "is 64040 bytes of UTF-8; a job document can be at most 32768 bytes (32 KB)", code: "InvalidRequestException" },
    ]);
    expect(checkIotInputs({}, { jobId: "emoji", targets: [thingArn("t1")], document: hostile }).failures).toEqual([
      { property: "document", reason: "is 64040 bytes of UTF-8; a job document can be at most 32768 bytes (32 KB) (InvalidRequestException)" },
    ]);
    // The boundary: 8,190 four-byte emoji plus `{"e":""}` are exactly 32,768 bytes; one more emoji is over.
    const exact = `{"e":"${emoji.repeat(8190)}"}`;
    expect(Buffer.byteLength(exact)).toBe(MAX_DOCUMENT_BYTES);
    await iot.send(new CreateJobCommand({ jobId: "exact", targets: [thingArn("t1")], document: exact }));
    expect((await iot.send(new GetJobDocumentCommand({ jobId: "exact" }))).document).toBe(exact);
    const oneMore = `{"e":"${emoji.repeat(8191)}"}`;
    expect((await failure(iot.send(new CreateJobCommand({ jobId: "one-more", targets: [thingArn("t1")], document: oneMore })))).message).toBe(
      "document is 32772 bytes of UTF-8; a job document can be at most 32768 bytes (32 KB).",
    );
    expect(createJobProblems({ targets: [thingArn("t1")], document: exact })).toEqual([]);
  });

  it("item 8: targets of another partition are refused by the emulator (CreateJob, AssociateTargetsWithJob), the validator and the check", async () => {
    for (const partition of ["aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"]) {
      const target = thingArn("t1", partition);
      const message = `targets[0] ${target} is in the ${partition} partition; job targets must be things or thing groups of the aws partition (arn:aws:iot:…).`;
      expect(await failure(iot.send(new CreateJobCommand({ jobId: `p-${partition}`, targets: [target], document: "{}" })))).toEqual({ name: "InvalidRequestException", status: 400, message });
      expect(createJobProblems({ targets: [thingArn("t1"), target], document: "{}" })).toEqual([
        { field: "targets[1]", rule: expect.stringContaining(`is in the ${partition} partition`) as unknown as string, code: "InvalidRequestException" },
      ]);
      expect(checkIotInputs({}, { jobId: "x", targets: [target], document: "{}" }).failures).toEqual([
        { property: "targets[0]", reason: `${message.slice("targets[0] ".length, -1)} (InvalidRequestException)` },
      ]);
    }
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "g" }));
    await iot.send(new CreateJobCommand({ jobId: "cont", targets: [thingArn("t1")], document: "{}", targetSelection: "CONTINUOUS" }));
    const group = `arn:aws-cn:iot:us-east-1:${ACCOUNT}:thinggroup/g`;
    expect(await failure(iot.send(new AssociateTargetsWithJobCommand({ jobId: "cont", targets: [group] })))).toMatchObject({ name: "InvalidRequestException", status: 400, message: expect.stringContaining(`targets[0] ${group} is in the aws-cn partition`) });
    expect((await iot.send(new DescribeJobCommand({ jobId: "cont" }))).job?.targets).toEqual([thingArn("t1")]);
  });

  it("item 7: a query member given twice is refused in either order (a reordered replay keeps a SigV4 signature valid)", async () => {
    await iot.send(new CreateJobCommand({ jobId: "q", targets: [thingArn("t1")], document: "{}" }));
    const url = new URL(emu().endpoint);
    const signer = new SignatureV4({ credentials: emu().account, region: "us-east-1", service: "iot", sha256: NodeSha256 as never });
    /** Signs the query as SigV4 does (repeated names sorted by value), then sends `sendQuery` verbatim. */
    const send = async (path: string, query: Record<string, string | string[]>, sendQuery: string): Promise<{ status: number; type: unknown; body: string }> => {
      const signed = await signer.sign({ method: "GET", protocol: "http:", hostname: url.hostname, port: Number(url.port), path, query, headers: { host: url.host } });
      return new Promise((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, method: "GET", path: `${path}?${sendQuery}`, headers: signed.headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["x-amzn-errortype"], body: Buffer.concat(chunks).toString("utf8") }));
        });
        req.on("error", reject);
        req.end();
      });
    };
    const statuses = { status: ["IN_PROGRESS", "CANCELED"] };
    for (const order of ["status=IN_PROGRESS&status=CANCELED", "status=CANCELED&status=IN_PROGRESS"]) {
      const a = await send("/jobs", statuses, order);
      expect({ order, status: a.status, type: a.type, body: JSON.parse(a.body) as unknown }).toEqual({
        order,
        status: 400,
        type: "InvalidRequestException",
        body: { __type: "InvalidRequestException", message: "The query parameter status appears more than once; ListJobs takes a single status." },
      });
    }
    // The same signature scheme with one value is served (so the refusal is about the repeat, not the signing).
    const one = await send("/jobs", { status: "IN_PROGRESS" }, "status=IN_PROGRESS");
    expect(one.status).toBe(200);
    expect((JSON.parse(one.body) as { jobs: { jobId: string }[] }).jobs.map((j) => j.jobId)).toEqual(["q"]);
    // Any operation's query member: beforeSubstitution on GetJobDocument.
    const doc = await send("/jobs/q/job-document", { beforeSubstitution: ["false", "true"] }, "beforeSubstitution=true&beforeSubstitution=false");
    expect({ status: doc.status, type: doc.type }).toEqual({ status: 400, type: "InvalidRequestException" });
    expect(doc.body).toContain("beforeSubstitution appears more than once; GetJobDocument takes a single beforeSubstitution");
    // A name the operation does not take is ignored, as before (the service drops unknown members).
    const unknown = await signedIotRequest(emu().endpoint, emu().account, "GET", "/jobs", undefined, { query: { status: "IN_PROGRESS", other: "x" } });
    expect(unknown.status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// iot.journal: linear growth (item 6), today's format still replays, mistyped records refused (item 9), and the
// amplifying job of a journal written before the size rule (item 2).

const scope = { accountId: ACCOUNT, region: "us-east-1" };

/** A job record as the backend writes it (the shape of today's journal lines). */
function jobRecord(jobId: string, executions: IotJobRecord["executions"], extra: Partial<IotJobRecord> = {}): IotJobRecord {
  return {
    kind: "job",
    scope,
    sequence: 1,
    jobId,
    jobArn: `arn:aws:iot:us-east-1:${ACCOUNT}:job/${jobId}`,
    status: "IN_PROGRESS",
    targetSelection: "CONTINUOUS",
    targets: [`arn:aws:iot:us-east-1:${ACCOUNT}:thinggroup/g`],
    document: '{"op":"x"}',
    spec: { description: "d" },
    createdAt: 1_700_000_000_000,
    lastUpdatedAt: 1_700_000_000_000,
    executions,
    tags: [],
    ...extra,
  };
}
const execution = (i: number, status: IotJobRecord["executions"][number]["status"] = "QUEUED"): IotJobRecord["executions"][number] => ({
  thingName: `t${i}`,
  thingArn: thingArn(`t${i}`),
  status,
  executionNumber: 1,
  queuedAt: 1_700_000_000_000 + i,
  lastUpdatedAt: 1_700_000_000_000 + i,
});

describe("iot.journal (issue 22 items 6, 9 and 2)", () => {
  const spawned = withSpawnedEmulators();
  const tempDir = (): string => spawned.tempDir("ie-iot-hostile-");

  it("item 6: 600 things joining a CONTINUOUS job's group and 600 reports write a journal within 4× its compacted size; all of it survives kill -9", async () => {
    const dataDir = tempDir();
    const start = (): Promise<SpawnedEmulator> => spawned.start(["--port", "0", "--data-dir", dataDir]);
    const first = await start();
    const alice = first.accounts[0]!;
    const iot = iotClient(first.endpoint, alice);
    const admin = iotAdmin(first.endpoint);
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "g" }));
    await iot.send(new CreateJobCommand({ jobId: "cont", targets: [`arn:aws:iot:us-east-1:${alice.accountId}:thinggroup/g`], document: '{"op":"x"}', targetSelection: "CONTINUOUS" }));
    const n = 600;
    /** Runs `task` for 0…n-1, eight at a time (the order of the changes does not matter here, only their number). */
    const eachOf = async (task: (i: number) => Promise<unknown>): Promise<void> => {
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let i = next++; i < n; i = next++) await task(i);
      }));
    };
    await eachOf(async (i) => {
      await iot.send(new CreateThingCommand({ thingName: `t${i}` }));
      await iot.send(new AddThingToThingGroupCommand({ thingGroupName: "g", thingName: `t${i}` }));
    });
    await eachOf((i) => admin.execution("cont", `t${i}`, i % 3 === 0 ? "SUCCEEDED" : "IN_PROGRESS"));
    const journal = join(dataDir, "iot.journal");
    const written = statSync(journal).size;
    const allExecutions = async (client: IoTClient): Promise<unknown[]> => {
      const out: unknown[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(new ListJobExecutionsForJobCommand({ jobId: "cont", nextToken }));
        out.push(...(page.executionSummaries ?? []));
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      return out;
    };
    const before = { job: (await iot.send(new DescribeJobCommand({ jobId: "cont" }))).job, executions: await allExecutions(iot) };
    expect(before.executions).toHaveLength(n);
    expect(before.job?.jobProcessDetails).toMatchObject({ numberOfSucceededThings: 200, numberOfInProgressThings: 400, numberOfQueuedThings: 0 });
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await start(); // replays, then compacts
    const compacted = statSync(journal).size;
    const again = iotClient(second.endpoint, alice);
    expect({ job: (await again.send(new DescribeJobCommand({ jobId: "cont" }))).job, executions: await allExecutions(again) }).toEqual(before);
    // Linear: each of the 2,402 changes adds a bounded number of bytes (the whole-record journal wrote 99.6 MB here).
    const changes = 2 + 2 * n + n;
    console.log(`iot.journal after ${n} joins and ${n} reports: ${written} bytes written, ${compacted} compacted, ${Math.round(written / changes)} per change`);
    expect(written).toBeLessThan(4 * compacted);
    expect(written / changes).toBeLessThan(1024);
    // The restarted emulator goes on appending changes that replay too.
    expect((await iotAdmin(second.endpoint).execution("cont", "t1", "SUCCEEDED")).executions.find((e) => e.thingName === "t1")?.status).toBe("SUCCEEDED");
    second.child.kill("SIGKILL");
    await second.exited;
    const third = await start();
    expect((await iotClient(third.endpoint, alice).send(new DescribeJobCommand({ jobId: "cont" }))).job?.jobProcessDetails).toMatchObject({ numberOfSucceededThings: 201, numberOfInProgressThings: 399 });
    third.child.kill("SIGTERM");
    expect(await third.exited).toBe(0);
  }, 180_000);

  it("item 6: replay rebuilds exactly the records last stored, through the real backend's every kind of change", () => {
    const dir = tempDir();
    /** What a whole-record journal would replay: the last record put per key (cloned then), minus removals. */
    const expected = new Map<string, IotRecord>();
    const journal = new JournalIotStore(dir);
    journal.load();
    const teed: IotStore = {
      load: () => [],
      put: (r) => {
        journal.put(r);
        expected.set(recordKey(r), structuredClone(r));
      },
      remove: (r) => {
        journal.remove(r);
        expected.delete(recordKey(r));
      },
      clear: () => {
        journal.clear();
        expected.clear();
      },
      close: () => journal.close(),
    };
    let now = 1_800_000_000_000;
    const backend = new IotBackend({ store: teed, now: () => now, deletionDelayMs: 1000 });
    const s = scope;
    const arn = (kind: string, name: string): string => `arn:aws:iot:us-east-1:${ACCOUNT}:${kind}/${name}`;
    backend.handle("CreateThingGroup", { thingGroupName: "g", tags: [{ Key: "k", Value: "v" }] }, s);
    for (let i = 0; i < 20; i++) backend.handle("CreateThing", { thingName: `t${i}` }, s);
    for (let i = 0; i < 5; i++) backend.handle("AddThingToThingGroup", { thingGroupName: "g", thingName: `t${i}` }, s);
    backend.handle("CreateJob", { jobId: "cont", targets: [arn("thinggroup", "g")], document: "{}", targetSelection: "CONTINUOUS", timeoutConfig: { inProgressTimeoutInMinutes: 5 } }, s);
    backend.handle("CreateJob", { jobId: "snap", targets: [arn("thing", "t10"), arn("thing", "t11")], document: '{"a":"${aws:iot:parameter:p}"}', documentParameters: { p: "v" } }, s);
    for (let i = 5; i < 12; i++) backend.handle("AddThingToThingGroup", { thingGroupName: "g", thingName: `t${i}` }, s);
    backend.handle("UpdateJob", { jobId: "cont", description: "now described", abortConfig: { criteriaList: [{ failureType: "FAILED", action: "CANCEL", thresholdPercentage: 50, minNumberOfExecutedThings: 20 }] } }, s);
    backend.handle("TagResource", { resourceArn: arn("job", "cont"), tags: [{ Key: "a", Value: "1" }] }, s);
    backend.handle("UntagResource", { resourceArn: arn("job", "cont"), tagKeys: ["a"] }, s);
    backend.handle("AssociateTargetsWithJob", { jobId: "cont", targets: [arn("thing", "t15")], comment: "more" }, s);
    const cont = backend.findJobs("cont")[0]!;
    for (let i = 0; i < 6; i++) backend.advanceExecutions(cont, `t${i}`, "IN_PROGRESS");
    now += 6 * 60_000; // the in-progress executions time out
    backend.handle("DescribeJob", { jobId: "cont" }, s);
    backend.advanceExecutions(backend.findJobs("snap")[0]!, undefined, "SUCCEEDED"); // snap completes
    backend.handle("CancelJob", { jobId: "cont", reasonCode: "STOP", comment: "stop", force: true }, s);
    backend.handle("DeleteJob", { jobId: "snap" }, s);
    now += 2000; // the deletion finishes: a remove line; then the id is taken again
    backend.handle("ListJobs", {}, s);
    backend.handle("CreateJob", { jobId: "snap", targets: [arn("thing", "t19")], document: '{"again":true}' }, s);
    journal.close();

    const lines = readFileSync(join(dir, "iot.journal"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { op: string; record?: { kind: string } });
    expect(lines.filter((l) => l.record?.kind === "job-change").length).toBeGreaterThan(20); // changes, not whole records
    const replayed = new JournalIotStore(dir);
    const records = replayed.load();
    replayed.close();
    expect(new Map(records.map((r) => [recordKey(r), r]))).toEqual(expected);
    const job = records.find((r): r is IotJobRecord => r.kind === "job" && r.jobId === "cont")!;
    expect(job.executions.map((e) => [e.thingName, e.status])).toEqual([
      ...[0, 1, 2, 3, 4, 5].map((i) => [`t${i}`, "TIMED_OUT"]),
      ...[6, 7, 8, 9, 10, 11].map((i) => [`t${i}`, "CANCELED"]),
      ["t15", "CANCELED"],
    ]);
    // Compaction writes whole records (today's format), one line per record.
    expect(readFileSync(join(dir, "iot.journal"), "utf8").trim().split("\n")).toHaveLength(records.length);
  });

  it("item 6: a journal of whole job records (today's format) replays, and changes appended after it replay too", () => {
    const dir = tempDir();
    // Today's writer: whole records only, each put carrying every execution (a job line written by the old store).
    const fixture = `{"v":1,"op":"put","record":${JSON.stringify(jobRecord("old", [execution(0)]))}}\n`;
    writeFileSync(join(dir, "iot.journal"), fixture);
    const today = new RecordJournal<IotRecord>(dir, "iot.journal", "record", recordKey, () => undefined);
    today.load();
    for (let i = 1; i < 50; i++) today.put(jobRecord("old", Array.from({ length: i + 1 }, (_, k) => execution(k)), { lastUpdatedAt: 1_700_000_000_000 + i }));
    today.put(jobRecord("gone", [execution(0)]));
    today.remove(recordKey(jobRecord("gone", [])));
    today.close();
    // No compaction in between: the new store reads today's uncompacted file.
    const store = new JournalIotStore(dir);
    const loaded = store.load();
    const expectedOld = jobRecord("old", Array.from({ length: 50 }, (_, k) => execution(k)), { lastUpdatedAt: 1_700_000_000_049 });
    expect(loaded).toEqual([expectedOld]);
    // New writes are changes on top of the replayed whole record.
    const next = structuredClone(expectedOld);
    next.executions[3] = { ...execution(3, "SUCCEEDED"), startedAt: 1_700_000_000_100 };
    next.executions.push(execution(50));
    next.lastUpdatedAt = 1_700_000_000_100;
    next.comment = "added";
    const sizeBefore = statSync(join(dir, "iot.journal")).size;
    store.put(next);
    store.put(next); // no change: nothing written
    store.close();
    const appended = readFileSync(join(dir, "iot.journal"), "utf8").slice(sizeBefore);
    expect(appended.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(appended)).toEqual({
      v: 1,
      op: "put",
      record: { kind: "job-change", scope, jobId: "old", set: { lastUpdatedAt: 1_700_000_000_100, comment: "added" }, executions: [next.executions[3], execution(50)] },
    });
    const again = new JournalIotStore(dir);
    expect(again.load()).toEqual([next]);
    again.close();
  });

  it("item 9: a mistyped record stops start-up naming file:line (a job line edited to \"document\":123, and other types)", async () => {
    const good = (extra: Partial<IotJobRecord> | Record<string, unknown> = {}): string => JSON.stringify({ v: 1, op: "put", record: { ...jobRecord("j", [execution(0)]), ...extra } });
    const thing = JSON.stringify({ v: 1, op: "put", record: { kind: "thing", scope, thingName: "t0", thingId: "id", thingArn: thingArn("t0"), attributes: {}, version: 1, groups: [] } });
    const change = (record: Record<string, unknown>): string => JSON.stringify({ v: 1, op: "put", record: { kind: "job-change", scope, jobId: "j", ...record } });
    const cases: [string, string][] = [
      [good({ document: 123 }), "IoT job j: document is not text"],
      [good({ spec: { abortConfig: { criteriaList: "all" } } }), "IoT job j: spec.abortConfig.criteriaList must be a list, not a string"],
      [good({ spec: { documentParameters: { p: 1 } } }), "IoT job j: spec.documentParameters.p must be a string, not a number"],
      [good({ spec: { surprise: 1 } }), 'IoT job j: spec holds "surprise", which is not a job setting'],
      [good({ tags: [{ Key: 1 }] }), "IoT job j: tags is not a list of {Key, Value} text pairs"],
      [good({ sequence: undefined }), "IoT job j: sequence is missing"],
      [good({ executions: [{ ...execution(0), status: "DONE" }] }), "IoT job j: the execution on t0 has no valid status"],
      [good({ executions: [{ ...execution(0), startedAt: "soon" }] }), "IoT job j: the execution on t0 has a startedAt that is not a time (epoch ms)"],
      [good({ completedAt: -1 }), "IoT job j: completedAt is not a time (epoch ms)"],
      [good({ forceCanceled: "yes" }), "IoT job j: forceCanceled is not true or false"],
      [good({ extra: 1 }), 'IoT job j: "extra" is not a member of a job'],
      [thing.replace('"attributes":{}', '"attributes":{"a":1}'), "thing t0 has no valid attributes, version or groups"],
      [thing.replace('"groups":[]', '"groups":[],"thingTypeName":7'), "thing t0 has a thingTypeName that is not text"],
      [`${good()}\n${change({ set: { document: 123 } })}`, "IoT job j: document is not text"],
      [`${good()}\n${change({ set: { jobId: "k" } })}`, "the change to IoT job j sets jobId, which a change cannot set"],
      [`${good()}\n${change({ unset: ["status"] })}`, 'the change to IoT job j unsets "status", which a job cannot lack'],
      [`${good()}\n${change({ executions: [{ thingName: "t1" }] })}`, "the change to IoT job j: the execution on t1 has no thingArn"],
      [change({ set: { status: "CANCELED" } }), "the change to IoT job j comes before any whole record of that job"],
      [`${good()}\n${change({}).replace('"jobId":"j"', '"jobId":"j","set":{"constructor":1}')}`, 'IoT job j: "constructor" is not a member of a job'],
      [`${good()}\n${change({}).replace('"jobId":"j"', '"jobId":"j","set":{"__proto__":{"status":"CANCELED"}}')}`, 'IoT job j: "__proto__" is not a member of a job'],
      [good().replace('"kind":"job"', '"kind":"job","toString":1'), 'IoT job j: "toString" is not a member of a job'],
    ];
    for (const [text, problem] of cases) {
      const dir = tempDir();
      const file = join(dir, "iot.journal");
      writeFileSync(file, `${thing}\n${text}\n`);
      const line = 1 + text.split("\n").length;
      let caught: unknown;
      try {
        new JournalIotStore(dir).load();
      } catch (e) {
        caught = e;
      }
      expect({ problem, caught: caught instanceof JournalError ? caught.message.split(". The emulator")[0] : String(caught) }).toEqual({ problem, caught: `${file}:${line}: ${problem}` });
      expect(readFileSync(file, "utf8")).toBe(`${thing}\n${text}\n`); // left untouched
    }

    // The bin refuses to start on the report's edit, naming file:line, instead of answering GetJobDocument with a 500.
    const dir = tempDir();
    writeFileSync(join(dir, "iot.journal"), `${thing}\n${good({ document: 123 })}\n`);
    const started = spawnEmulator(["--port", "0", "--data-dir", dir]);
    await expect(started).rejects.toThrow(`${join(dir, "iot.journal")}:2: IoT job j: document is not text`);
  }, 60_000);

  it("item 2: a job journaled before the size rule answers GetJobDocument 400 without building 43.7 MB; beforeSubstitution still reads it", async () => {
    const dir = tempDir();
    const record = jobRecord("amp", [execution(0)], { targetSelection: "SNAPSHOT", document: AMPLIFYING.document, spec: { documentParameters: AMPLIFYING.documentParameters } });
    writeFileSync(join(dir, "iot.journal"), `${JSON.stringify({ v: 1, op: "put", record })}\n`);
    const emulator = await startTestEmulator({ dataDir: dir });
    try {
      const iot = iotClient(emulator.endpoint, emulator.accounts[0]!);
      const rssBefore = process.memoryUsage().rss;
      const answers = await Promise.all(Array.from({ length: 6 }, () => failure(iot.send(new GetJobDocumentCommand({ jobId: "amp" })))));
      for (const a of answers) {
        expect(a).toEqual({
          name: "InvalidRequestException",
          status: 400,
          message: "The job document of amp would be 43714568 bytes once its documentParameters are substituted; a job document can be at most 32768 bytes (32 KB). Read it with beforeSubstitution=true.",
        });
      }
      // Six answers of 43.7 MB took the emulator from 62 to 493 MiB; six refusals cost nearly nothing.
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
      expect((await iot.send(new GetJobDocumentCommand({ jobId: "amp", beforeSubstitution: true }))).document).toBe(AMPLIFYING.document);
    } finally {
      await emulator.close();
    }
  });
});
