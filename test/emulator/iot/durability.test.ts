import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CancelJobCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  AddThingToThingGroupCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  DescribeThingCommand,
  ListJobsCommand,
  ListTagsForResourceCommand,
  UpdateJobCommand,
} from "@aws-sdk/client-iot";
import { appendFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { JournalIotStore, type ThingRecord } from "../../../emulator/iot/records";
import { JournalError } from "../../../emulator/core/journal";
import { iotAdmin, iotClient } from "../../helpers/iot";
import { withSpawnedEmulators, type SpawnedEmulator } from "../spawn";

describe("importexport-emulator bin: IoT state is durable in --data-dir (iot.journal)", () => {
  const spawned = withSpawnedEmulators();
  const dataDir = spawned.tempDir("ie-emulator-iot-data-");
  const start = (): Promise<SpawnedEmulator> => spawned.start(["--port", "0", "--data-dir", dataDir, "--iot-deletion-delay", "1h"]);

  it("keeps things, groups, jobs, executions, updates, tags and a deletion in progress across kill -9 and restart", async () => {
    const first = await start();
    const alice = first.accounts[0]!;
    const iot = iotClient(first.endpoint, alice);
    const arn = (kind: string, name: string): string => `arn:aws:iot:us-east-1:${alice.accountId}:${kind}/${name}`;
    const thing = await iot.send(new CreateThingCommand({ thingName: "d1", attributePayload: { attributes: { model: "x1" } } }));
    await iot.send(new CreateThingCommand({ thingName: "d2" }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "g" }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: "g", thingName: "d2" }));
    await iot.send(new CreateJobCommand({ jobId: "keep", targets: [arn("thing", "d1"), arn("thinggroup", "g")], document: '{"a":1}', tags: [{ Key: "k", Value: "v" }] }));
    await iot.send(new UpdateJobCommand({ jobId: "keep", description: "updated" }));
    await iotAdmin(first.endpoint).execution("keep", "d1", "SUCCEEDED");
    await iot.send(new CreateJobCommand({ jobId: "gone", targets: [arn("thing", "d1")], document: "{}" }));
    await iot.send(new CancelJobCommand({ jobId: "gone", reasonCode: "R" }));
    await iot.send(new DeleteJobCommand({ jobId: "gone" }));
    const before = await iot.send(new DescribeJobCommand({ jobId: "keep" }));
    await new Promise((res) => setTimeout(res, 100)); // stderr logging is batched
    expect(first.stderr()).toContain("UpdateJob");
    expect(first.stderr()).not.toContain(alice.secretAccessKey);
    expect(first.stderr()).not.toMatch(/Signature=|"signature"/i);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(readFileSync(join(dataDir, "iot.journal"), "utf8")).not.toContain(alice.secretAccessKey);

    const second = await start();
    const again = iotClient(second.endpoint, alice);
    const after = await again.send(new DescribeJobCommand({ jobId: "keep" }));
    expect(after.job).toEqual(before.job);
    expect(after.job).toMatchObject({ description: "updated", status: "IN_PROGRESS", jobProcessDetails: { numberOfSucceededThings: 1, numberOfQueuedThings: 1 } });
    expect((await again.send(new DescribeJobCommand({ jobId: "gone" }))).job).toMatchObject({ status: "DELETION_IN_PROGRESS", reasonCode: "R" });
    expect((await again.send(new ListTagsForResourceCommand({ resourceArn: arn("job", "keep") }))).tags).toEqual([{ Key: "k", Value: "v" }]);
    expect((await again.send(new DescribeThingCommand({ thingName: "d1" }))).thingId).toBe(thing.thingId);
    expect((await again.send(new ListJobsCommand({ thingGroupName: "g" }))).jobs?.map((j) => j.jobId)).toEqual(["keep"]);
    // The restarted emulator goes on from the replayed state: the job completes; a new job orders after the old ones.
    expect((await iotAdmin(second.endpoint).execution("keep", "d2", "SUCCEEDED")).status).toBe("COMPLETED");
    await again.send(new CreateJobCommand({ jobId: "third", targets: [arn("thing", "d1")], document: "{}" }));
    expect((await again.send(new ListJobsCommand({}))).jobs?.map((j) => j.jobId)).toEqual(["keep", "gone", "third"]);
    // Reset empties the journal too.
    const reset = await fetch(`${second.endpoint}/_emulator/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(reset.status).toBe(200);
    second.child.kill("SIGKILL");
    await second.exited;
    const third = await start();
    expect((await iotClient(third.endpoint, alice).send(new ListJobsCommand({}))).jobs).toEqual([]);
    third.child.kill("SIGTERM");
    expect(await third.exited).toBe(0);
  }, 120_000);

  it("the journal replays puts and removes in order, keeps the last put per record, drops a torn tail, refuses damage", () => {
    const dir = mkdtempSync(join(tmpdir(), "ie-iot-journal-"));
    try {
      const thing = (name: string, version: number): ThingRecord => ({
        kind: "thing", scope: { accountId: "111111111111", region: "us-east-1" }, thingName: name, thingId: name, thingArn: `arn:${name}`, attributes: {}, version, groups: [],
      });
      const a = new JournalIotStore(dir);
      expect(a.load()).toEqual([]);
      a.put(thing("x", 1));
      a.put(thing("y", 1));
      a.put(thing("x", 2));
      a.remove(thing("y", 1));
      a.close();
      appendFileSync(join(dir, "iot.journal"), '{"v":1,"op":"put","record":{"kind":"th');
      const b = new JournalIotStore(dir);
      expect(b.load()).toEqual([thing("x", 2)]);
      b.close();
      expect(readFileSync(join(dir, "iot.journal"), "utf8").trim().split("\n")).toHaveLength(1); // compacted at start-up
      // A damaged line that is not the torn last one stops start-up, naming file:line, and leaves the file alone.
      appendFileSync(join(dir, "iot.journal"), '{"v":1,"op":"put","record":{"kind":"job","scope":{"accountId":"111111111111","region":"us-east-1"},"jobId":"j"}}\n{"v":1,"op":"clear"}\n');
      const before = readFileSync(join(dir, "iot.journal"), "utf8");
      expect(() => new JournalIotStore(dir).load()).toThrow(JournalError);
      expect(() => new JournalIotStore(dir).load()).toThrow(`${join(dir, "iot.journal")}:2: IoT job j has no valid jobArn or status`);
      expect(readFileSync(join(dir, "iot.journal"), "utf8")).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
