/**
 * `importexport emulator <verb>`: the admin verbs, spawned as users run them (node dist/cli/bin.js) against a real
 * in-process emulator. Each verb's effect is checked through the service API (the CLI's own get-status, the IoT
 * SDK) or the admin API, not only through what the verb printed; refusals exit 1 with the emulator's reason, bad
 * flags exit 2 before anything is sent.
 */
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { CreateJobCommand, CreateThingCommand, DescribeJobCommand } from "@aws-sdk/client-iot";
import { beforeEach, describe, expect, it } from "vitest";
import { iotAdmin, iotClient } from "../helpers/iot";
import { importManifest } from "../helpers/manifests";
import { expectOneLineError, withCliEmulator, type CliRun } from "./helpers";

describe("importexport emulator <verb> against a running emulator", () => {
  const { emu, dir, env, cli } = withCliEmulator("importexport-cli-admin-");
  const json = (r: CliRun): Record<string, unknown> => {
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };
  const createJob = async (): Promise<string> => {
    const manifest = join(dir(), "m.yaml");
    writeFileSync(manifest, importManifest("alice-import"));
    return json(await cli("create-job", "--job-type", "Import", "--manifest", `file://${manifest}`))["JobId"] as string;
  };
  const status = async (jobId: string): Promise<{ LocationCode: string; ProgressCode: string }> =>
    json(await cli("get-status", "--job-id", jobId)) as { LocationCode: string; ProgressCode: string };

  it("accounts: prints the emulator's accounts and buckets, as its first line does; --endpoint-url wins over the environment", async () => {
    env()["AWS_ENDPOINT_URL_IMPORTEXPORT"] = "http://127.0.0.1:9";
    const out = json(await cli("emulator", "accounts", "--endpoint-url", emu().endpoint));
    expect(out).toEqual({ accounts: emu().accounts });
    const text = await cli("emulator", "accounts", "--endpoint-url", emu().endpoint, "--output", "text");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("alice-import");
  });

  it("advance: no flags moves the job one step; flags set ProgressCode/LocationCode; get-status sees both", async () => {
    const jobId = await createJob();
    expect(await status(jobId)).toMatchObject({ LocationCode: "NotReceived", ProgressCode: "Pending" });

    const step = json(await cli("emulator", "advance", jobId, "--endpoint-url", emu().endpoint));
    expect(step).toMatchObject({ jobId, locationCode: "AtAWS", progressCode: "Pending" });
    expect(await status(jobId)).toMatchObject({ LocationCode: "AtAWS", ProgressCode: "Pending" });

    // The flags may come before the verb too, like every shared flag.
    const set = json(await cli("--endpoint-url", emu().endpoint, "emulator", "advance", jobId, "--progress-code", "InProgress", "--carrier", "UPS", "--tracking-number", "1Z999"));
    expect(set).toMatchObject({ jobId, progressCode: "InProgress", carrier: "UPS", trackingNumber: "1Z999" });
    expect(await status(jobId)).toMatchObject({ ProgressCode: "InProgress" });

    const done = json(await cli("emulator", "advance", jobId, "--progress-code", "SuccessWithErrors", "--error-count", "3", "--location-code", "Returned", "--endpoint-url", emu().endpoint));
    expect(done).toMatchObject({ progressCode: "SuccessWithErrors", locationCode: "Returned", errorCount: 3 });

    const jobs = json(await cli("emulator", "jobs", "--endpoint-url", emu().endpoint)) as { jobs: { jobId: string; progressCode: string; history: unknown[] }[] };
    expect(jobs.jobs.map((j) => [j.jobId, j.progressCode])).toEqual([[jobId, "SuccessWithErrors"]]);
    expect(jobs.jobs[0]?.history.length).toBeGreaterThanOrEqual(4);
  });

  it("finds the emulator through AWS_ENDPOINT_URL_IMPORTEXPORT when --endpoint-url is not given", async () => {
    const jobId = await createJob();
    expect(json(await cli("emulator", "advance", jobId))).toMatchObject({ jobId, locationCode: "AtAWS" });
  });

  it("clock: prints the job clock and moves it; a job without a device expires after 30 days", async () => {
    const jobId = await createJob();
    const before = Date.parse(json(await cli("emulator", "clock"))["now"] as string);
    const after = Date.parse(json(await cli("emulator", "clock", "--advance", "31d"))["now"] as string);
    expect(after - before).toBeGreaterThanOrEqual(31 * 86_400_000);
    expect(after - before).toBeLessThan(31 * 86_400_000 + 60_000);
    const expired = await cli("get-status", "--job-id", jobId);
    expect(expired.code).toBe(1);
    expect(expectOneLineError(expired, "ExpiredJobIdException")).toContain(`Job ${jobId} expired`);
  });

  it("refusals exit 1 with the emulator's reason and change nothing; bad flags exit 2 before anything is sent", async () => {
    const missing = await cli("emulator", "advance", "NOJOB");
    expect(missing.code).toBe(1);
    expect(expectOneLineError(missing, "NotFound")).toContain("No job NOJOB.");

    const jobId = await createJob();
    await cli("emulator", "advance", jobId, "--progress-code", "Canceled");
    const noStep = await cli("emulator", "advance", jobId);
    expect(noStep.code).toBe(1);
    expect(expectOneLineError(noStep, "Conflict")).toContain("canceled; it has no next step");

    const before = (await emu().admin.stats()).total;
    const jobsBefore = await emu().admin.jobs();
    const badCode = await cli("emulator", "advance", jobId, "--progress-code", "Finished");
    expect(badCode.code).toBe(2);
    expect(expectOneLineError(badCode, "UsageError")).toMatch(/--progress-code.*'Finished' is invalid.*InProgress/);
    const badCount = await cli("emulator", "advance", jobId, "--error-count", "-1");
    expect(badCount.code).toBe(2);
    expectOneLineError(badCount, "InvalidParameterException");
    const badClock = await cli("emulator", "clock", "--advance", "soon");
    expect(badClock.code).toBe(2);
    const badOutput = await cli("emulator", "advance", jobId, "--output", "yaml");
    expect(badOutput.code).toBe(2);
    expect(await emu().admin.jobs()).toEqual(jobsBefore);
    expect((await emu().admin.stats()).total).toBe(before);

    const typo = await cli("emulator", "advnce", jobId);
    expect(typo.code).toBe(2);
    expect(expectOneLineError(typo, "UsageError")).toContain("unknown emulator verb 'advnce'; the verbs are advance, jobs, accounts, clock, iot");
  });

  it("names the endpoint when no emulator answers there, or when it is not an emulator", async () => {
    // A port nothing listens on: bind one, close it.
    const closed = await new Promise<number>((done) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => done(port));
      });
    });
    const refused = await cli("emulator", "jobs", "--endpoint-url", `http://127.0.0.1:${closed}`);
    expect(refused.code).toBe(1);
    expect(expectOneLineError(refused, "ECONNREFUSED")).toContain(`No emulator answers at http://127.0.0.1:${closed}`);

    const other: Server = createServer((_req, res) => res.writeHead(404, { "content-type": "text/html" }).end("<h1>nope</h1>"));
    await new Promise<void>((done) => other.listen(0, "127.0.0.1", done));
    try {
      const r = await cli("emulator", "accounts", "--endpoint-url", `http://127.0.0.1:${(other.address() as { port: number }).port}`);
      expect(r.code).toBe(1);
      expect(expectOneLineError(r, "NotAnEmulator")).toContain("HTTP 404");
    } finally {
      other.close();
    }

    const notUrl = await cli("emulator", "jobs", "--endpoint-url", "localhost:4599/x");
    expect(notUrl.code).toBe(2);
    expectOneLineError(notUrl, "UsageError");
    const withSecret = await cli("emulator", "jobs", "--endpoint-url", emu().endpoint.replace("://", "://admin:hunter2-secret@"));
    expect(withSecret.code).toBe(2);
    expect(expectOneLineError(withSecret, "UsageError")).not.toContain("hunter2");
    const withPath = await cli("emulator", "jobs", "--endpoint-url", `${emu().endpoint}/_emulator`);
    expect(withPath.code).toBe(2);
    expect(expectOneLineError(withPath, "UsageError")).toContain("base URL");
  });

  describe("iot", () => {
    const arn = (thing: string): string => `arn:aws:iot:us-east-1:${emu().account.accountId}:thing/${thing}`;
    /** One thing's execution status, as the admin API lists it (the emulator serves no IoT data plane). */
    const execution = async (jobId: string, thingName: string): Promise<string | undefined> =>
      (await iotAdmin(emu().endpoint).jobs()).find((j) => j.jobId === jobId)?.executions.find((e) => e.thingName === thingName)?.status;
    /** The job's counts and status through the control plane, as DescribeJob reports them. */
    const described = async (jobId: string) => {
      const iot = iotClient(emu().endpoint, emu().account);
      try {
        return (await iot.send(new DescribeJobCommand({ jobId }))).job;
      } finally {
        iot.destroy();
      }
    };

    beforeEach(async () => {
      const iot = iotClient(emu().endpoint, emu().account);
      try {
        for (const thingName of ["pump-1", "pump-2", "pump-3"]) await iot.send(new CreateThingCommand({ thingName }));
        await iot.send(new CreateJobCommand({ jobId: "firmware-7", targets: ["pump-1", "pump-2", "pump-3"].map(arn), document: '{"op":"flash"}' }));
      } finally {
        iot.destroy();
      }
      env()["AWS_ENDPOINT_URL_IOT"] = emu().endpoint;
    });

    it("iot advance: one thing reports a status; without a thing every open execution does; DescribeJob agrees", async () => {
      const one = json(await cli("emulator", "iot", "advance", "firmware-7", "pump-1", "--status", "FAILED"));
      expect(one).toMatchObject({ jobId: "firmware-7", accountId: emu().account.accountId });
      expect(await execution("firmware-7", "pump-1")).toBe("FAILED");
      expect(await execution("firmware-7", "pump-2")).toBe("QUEUED");
      expect((await described("firmware-7"))?.jobProcessDetails).toMatchObject({ numberOfFailedThings: 1, numberOfQueuedThings: 2 });

      // Default status SUCCEEDED; the shared --region picks the job's region.
      const rest = json(await cli("emulator", "iot", "advance", "firmware-7", "--region", "us-east-1"));
      expect(rest["status"]).toBe("COMPLETED");
      expect(await execution("firmware-7", "pump-1")).toBe("FAILED");
      expect(await execution("firmware-7", "pump-3")).toBe("SUCCEEDED");
      expect(await described("firmware-7")).toMatchObject({ status: "COMPLETED", jobProcessDetails: { numberOfFailedThings: 1, numberOfSucceededThings: 2 } });

      const list = json(await cli("emulator", "iot", "jobs")) as { jobs: { jobId: string; executions: { thingName: string; status: string }[] }[] };
      expect(list.jobs.map((j) => j.jobId)).toEqual(["firmware-7"]);
      expect(list.jobs[0]?.executions).toEqual([
        { thingName: "pump-1", status: "FAILED" },
        { thingName: "pump-2", status: "SUCCEEDED" },
        { thingName: "pump-3", status: "SUCCEEDED" },
      ]);
    });

    it("iot advance: an unknown job or account exits 1, an unknown status exits 2", async () => {
      const missing = await cli("emulator", "iot", "advance", "firmware-8");
      expect(missing.code).toBe(1);
      expect(expectOneLineError(missing, "NotFound")).toContain("No IoT job firmware-8.");
      const otherAccount = await cli("emulator", "iot", "advance", "firmware-7", "--account-id", emu().otherAccount.accountId);
      expect(otherAccount.code).toBe(1);
      expectOneLineError(otherAccount, "NotFound");
      const badStatus = await cli("emulator", "iot", "advance", "firmware-7", "--status", "DONE");
      expect(badStatus.code).toBe(2);
      expect(expectOneLineError(badStatus, "UsageError")).toContain("SUCCEEDED");
      expect(await execution("firmware-7", "pump-1")).toBe("QUEUED");
    });
  });
});
