/**
 * ListJobs keeps each account's jobs in creation order (emulator/importexport/backend: appended, found by binary search); a job
 * created at an earlier clock time than existing ones must still list by its CreationDate.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { call, importManifest } from "../raw-client";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe("ListJobs order when the clock goes back", () => {
  it("a job created at an earlier time than existing ones lists by its CreationDate, and paging still covers all", async () => {
    // The injected clock also checks signature times, so the jobs' times stay within the 15-minute skew.
    const base = Date.now();
    let t = base;
    emu = await startEmulator({ clock: () => t });
    const creds = emu.accounts[0];
    if (creds === undefined) throw new Error("no account");
    const manifest = importManifest(creds.buckets[0]?.name ?? "");
    const create = async (at: number): Promise<string> => {
      t = at;
      const r = await call(emu!.endpoint, "CreateJob", { JobType: "Import", Manifest: manifest, ValidateOnly: "false" }, { creds });
      return r.result.JobId as string;
    };
    const minute = 60 * 1000;
    const late = await create(base);
    const early = await create(base - 10 * minute); // inserted before `late`, not appended
    const middle = await create(base - 5 * minute);
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const r = await call(emu.endpoint, "ListJobs", { MaxJobs: "1", ...(marker ? { Marker: marker } : {}) }, { creds });
      const id = (r.result.Jobs.member as { JobId: string }[])[0]?.JobId ?? "";
      seen.push(id);
      if (r.result.IsTruncated !== "true") break;
      marker = id;
    }
    expect(seen).toEqual([late, middle, early]);
  });
});
