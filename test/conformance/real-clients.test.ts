import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { beforeEach, describe, expect, it } from "vitest";
import { withEmulator } from "../helpers/emulator";
import { exportManifest, importManifest } from "../emulator/raw-client";

const run = promisify(execFile);

/**
 * Conformance with clients nobody here wrote: boto3/botocore (SigV4 and, directly, its SigV2Auth) and the AWS CLI v1.
 * They run as child processes against the in-process emulator with isolated credentials and config.
 */
describe("real AWS clients against the emulator", () => {
  const emu = withEmulator();
  const dir = mkdtempSync(join(tmpdir(), "ie-conformance-"));
  const importFile = join(dir, "import.yaml");
  const exportFile = join(dir, "export.yaml");
  writeFileSync(importFile, importManifest("alice-import"));
  writeFileSync(exportFile, exportManifest("alice-import", "alice-logs"));
  const env = (): NodeJS.ProcessEnv => ({
    PATH: process.env["PATH"],
    HOME: dir,
    AWS_ACCESS_KEY_ID: emu().account.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emu().account.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
  });
  const python = async (script: string, ...args: string[]) => {
    const { stdout } = await run("python3", [join(__dirname, script), emu().endpoint, ...args], { env: env(), timeout: 120_000 });
    return JSON.parse(stdout) as Record<string, any>;
  };
  const aws = async (...args: string[]) => {
    const { stdout } = await run("aws", [...args, "--endpoint-url", emu().endpoint, "--output", "json"], { env: env(), timeout: 120_000 });
    return JSON.parse(stdout) as Record<string, any>;
  };

  beforeEach(async () => {
    await emu().admin.reset();
  });

  it("boto3: create → status → update → paged list → label → cancel, modelled exceptions, STS", async () => {
    const out = await python("boto3_flow.py", importFile, exportFile);
    const jobId = out["create"].JobId as string;
    expect(out["signing"]).toBe("AWS4-HMAC-SHA256 us-east-1/IngestionService");
    expect(jobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(out["create"].JobType).toBe("Import");
    expect(out["create"].SignatureFileContents).toBe(`version:2.0\nsigningMethod:HmacSHA1\njobId:${jobId}\nsignature:${out["create"].Signature}\n`);
    expect(out["create"].ArtifactList[0].URL).toContain(`/_emulator/artifacts/${jobId}/`);
    expect(out["status"]).toMatchObject({ JobId: jobId, LocationCode: "NotReceived", ProgressCode: "Pending", ErrorCount: 0, CurrentManifest: importManifest("alice-import") });
    expect(out["status"].CreationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    expect(out["update"]).toMatchObject({ Success: true });
    expect(out["statusAfterUpdate"]).toBe("Export");
    const pages = out["listPages"] as string[][];
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().at(-1)).toBe(jobId); // the first job is the oldest
    expect(out["listFirst"]).toMatchObject({ IsCanceled: false, JobType: "Import" });
    expect(out["label"]).toContain(`/_emulator/labels/${jobId}.pdf`);
    expect(out["cancel"]).toBe(true);
    for (const code of ["CanceledJobIdException", "InvalidJobIdException", "MalformedManifestException", "NoSuchBucketException", "InvalidParameterException", "MissingParameterException"]) {
      expect(out["errors"][code]).toMatchObject({ code, status: 400 });
      expect(out["errors"][code].requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(out["sts"]).toEqual({ Account: emu().account.accountId, Arn: `arn:aws:iam::${emu().account.accountId}:user/importexport-emulator` });
    const stats = await emu().admin.stats();
    expect(stats.byAction["ListJobs"]).toBe(4); // 3 pages + the MaxJobs=5000 error
  });

  it("botocore SigV2Auth (used directly): signed requests verify and parse with botocore's QueryParser", async () => {
    const out = await python("botocore_sigv2.py", importFile);
    expect(out["create"].status).toBe(200);
    expect(out["create"].JobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(out["status"]).toEqual({ status: 200, ProgressCode: "Pending", CurrentManifest: importManifest("alice-import"), ErrorCount: 0 });
    expect(out["list"]).toEqual({ status: 200, Jobs: [out["create"].JobId], IsTruncated: false });
    expect(out["badSecret"]).toEqual({ status: 403, code: "SignatureDoesNotMatch" });
  });

  it("AWS CLI v1: aws importexport … --endpoint-url, paged list-jobs, errors, sts get-caller-identity", async () => {
    const created = await aws("importexport", "create-job", "--job-type", "import", "--manifest", `file://${importFile}`, "--no-validate-only");
    const jobId = created["JobId"] as string;
    expect(jobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(created["SignatureFileContents"]).toContain(`jobId:${jobId}`);
    const status = await aws("importexport", "get-status", "--job-id", jobId);
    expect(status).toMatchObject({ JobId: jobId, JobType: "Import", LocationCode: "NotReceived", ProgressCode: "Pending", ErrorCount: 0 });
    expect(status["CreationDate"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/); // the CLI echoes the wire string
    const updated = await aws("importexport", "update-job", "--job-id", jobId, "--job-type", "Export", "--manifest", `file://${exportFile}`, "--no-validate-only");
    expect(updated["Success"]).toBe(true);
    await aws("importexport", "create-job", "--job-type", "Import", "--manifest", `file://${importFile}`, "--no-validate-only");
    await aws("importexport", "create-job", "--job-type", "Import", "--manifest", `file://${importFile}`, "--no-validate-only");
    const before = (await emu().admin.stats()).byAction["ListJobs"] ?? 0;
    const list = await aws("importexport", "list-jobs", "--page-size", "2");
    expect((list["Jobs"] as { JobId: string }[]).map((j) => j.JobId)).toHaveLength(3);
    expect((list["Jobs"] as { JobId: string }[])[2]?.JobId).toBe(jobId);
    expect((await emu().admin.stats()).byAction["ListJobs"]! - before).toBe(2); // paged: 2 + 1
    const label = await aws("importexport", "get-shipping-label", "--job-ids", jobId);
    expect(label["ShippingLabelURL"]).toContain(jobId);
    const canceled = await aws("importexport", "cancel-job", "--job-id", jobId);
    expect(canceled["Success"]).toBe(true);
    const failure = await run("aws", ["importexport", "get-status", "--job-id", jobId, "--endpoint-url", emu().endpoint], { env: env() }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toContain("CanceledJobIdException");
    const ident = await aws("sts", "get-caller-identity");
    expect(ident["Account"]).toBe(emu().account.accountId);
  });

  it("@aws-sdk/client-sts: GetCallerIdentity names the signing account; a wrong secret is SignatureDoesNotMatch", async () => {
    const sts = new STSClient({ endpoint: emu().endpoint, region: "us-east-1", credentials: emu().otherAccount, maxAttempts: 1 });
    const ident = await sts.send(new GetCallerIdentityCommand({}));
    expect(ident.Account).toBe(emu().otherAccount.accountId);
    expect(ident.Arn).toContain(emu().otherAccount.accountId);
    const wrong = new STSClient({ endpoint: emu().endpoint, region: "us-east-1", credentials: { ...emu().otherAccount, secretAccessKey: "nope" }, maxAttempts: 1 });
    await expect(wrong.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "SignatureDoesNotMatch", $metadata: { httpStatusCode: 403 } });
  });
});
