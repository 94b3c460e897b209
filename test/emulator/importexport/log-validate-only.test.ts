/**
 * Issue 21, item 7: the emulator's request log marks a ValidateOnly CreateJob/UpdateJob (`validateOnly=true`), so a
 * `pulumi up` that validates on preview, validates again and creates does not look like three jobs in the log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import type { LogEntry } from "../../../emulator/core/log";
import { ImportExportClient } from "../../../sdk/client";

const manifest = (deviceId: string) =>
  [
    "manifestVersion: 2.0",
    `deviceId: ${deviceId}`,
    "eraseDevice: yes",
    "bucket: alice-import",
    "returnAddress:",
    "    name: Jane Roe",
    "    street1: 123 Any Street",
    "    city: Seattle",
    "    stateOrProvince: WA",
    "    postalCode: 98101",
    "    phoneNumber: 206-555-1111",
    "    country: USA",
    "",
  ].join("\n");

describe("emulator request log", () => {
  const logs: LogEntry[] = [];
  let emu: RunningEmulator;
  let client: ImportExportClient;

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, logger: (e) => logs.push(e) });
    const alice = emu.accounts[0];
    if (!alice) throw new Error("no account");
    client = new ImportExportClient({ endpoint: emu.endpoint, credentials: alice });
  });
  afterAll(async () => {
    await client?.destroy();
    await emu?.close();
  });

  const requests = (action: string) => logs.filter((e) => e.msg === "request" && e["action"] === action);

  it("marks a ValidateOnly CreateJob / UpdateJob, and only those", async () => {
    const m = manifest("D1");
    await client.createJob({ JobType: "Import", Manifest: m, ValidateOnly: true });
    const made = await client.createJob({ JobType: "Import", Manifest: m, ValidateOnly: false });
    await client.updateJob({ JobId: made.JobId ?? "", JobType: "Import", Manifest: manifest("D2"), ValidateOnly: true });
    // A refused validation is marked too.
    await expect(client.createJob({ JobType: "Import", Manifest: m.replace("alice-import", "no-such-bucket"), ValidateOnly: true })).rejects.toThrow();

    const creates = requests("CreateJob");
    expect(creates.map((e) => [e["validateOnly"] ?? false, e["status"]])).toEqual([
      [true, 200],
      [false, 200],
      [true, 400],
    ]);
    expect(requests("UpdateJob").map((e) => e["validateOnly"])).toEqual([true]);
    expect(requests("GetCallerIdentity").every((e) => e["validateOnly"] === undefined)).toBe(true);
  });
});
