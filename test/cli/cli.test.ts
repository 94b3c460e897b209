/**
 * The `importexport` command, spawned as users run it (node dist/cli/bin.js) against an in-process emulator:
 * every verb's happy path, the three exit codes, the three output formats (compared with the AWS CLI's own
 * output where the AWS CLI knows the members), manifests from file:// and inline, syntax errors with line:column.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportManifest as exportManifestFor, importManifest } from "../helpers/manifests";
import { expectOneLineError, isolatedEnv, runCli, withCliEmulator, type CliRun } from "./helpers";

const exportManifest = exportManifestFor("alice-import", "alice-logs");

/** Runs the AWS CLI v1 (a real client nobody here wrote) with the same environment. */
function aws(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((done) => {
    execFile("aws", ["importexport", ...args], { env }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0;
      done({ code: typeof code === "number" ? code : null, stdout, stderr });
    });
  });
}

describe("importexport CLI against the emulator", () => {
  const { emu, dir, env, cli } = withCliEmulator("importexport-cli-");
  const file = (name: string, text: string): string => {
    const p = join(dir(), name);
    writeFileSync(p, text);
    return p;
  };
  const createJob = async (bucket = "alice-import"): Promise<string> => {
    const r = await cli("create-job", "--job-type", "Import", "--manifest", `file://${file("create.yaml", importManifest(bucket))}`);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { JobId: string }).JobId;
  };

  describe("help and usage", () => {
    it("--help lists every verb and the exit codes; a verb's --help lists its flags and the shared ones", async () => {
      const top = await cli("--help");
      expect(top.code).toBe(0);
      for (const verb of ["validate", "create-job", "update-job", "get-status", "list-jobs", "get-shipping-label", "cancel-job", "emulator"]) {
        expect(top.stdout).toContain(verb);
      }
      expect(top.stdout).toContain("Exit codes: 0 ok, 1 the service refused the request, 2 usage or input error.");
      const create = await cli("create-job", "--help");
      expect(create.code).toBe(0);
      for (const flag of ["--job-type", "--manifest", "--validate-only", "--no-validate-only", "--endpoint-url", "--profile", "--output", "--signature-version", "--region"]) {
        expect(create.stdout).toContain(flag);
      }
      const version = await cli("--version");
      expect(version).toMatchObject({ code: 0, stdout: "0.1.0\n" });
    });

    it("usage errors exit 2 with one line: unknown verb, unknown flag, missing flag, bad values, no command", async () => {
      const cases: [string[], string][] = [
        [["get-stat", "--job-id", "X"], "UsageError"],
        [["list-jobs", "--bogus"], "UsageError"],
        [["get-status"], "UsageError"],
        [["list-jobs", "--output", "yaml"], "UsageError"],
        [["list-jobs", "--signature-version", "v3"], "UsageError"],
        [["list-jobs", "--max-items", "0"], "InvalidParameterException"],
        [["list-jobs", "--endpoint-url", "not a url"], "UsageError"],
        [["create-job", "--job-type", "Imprt", "--manifest", "x: y"], "InvalidParameterException"],
        [[], "UsageError"],
      ];
      for (const [args, code] of cases) {
        const r = await cli(...args);
        expect({ args, code: r.code }).toEqual({ args, code: 2 });
        expectOneLineError(r, code);
        expect(r.stdout).toBe("");
      }
      expect((await cli("get-stat", "--job-id", "X")).stderr).toContain("Did you mean get-status?");
      // Nothing reached the service.
      expect((await emu().admin.stats()).total).toBe(0);
    });
  });

  describe("validate", () => {
    it("a valid manifest exits 0, locally and with --server (CreateJob ValidateOnly, no job created)", async () => {
      const m = file("ok.yaml", importManifest("alice-import"));
      const local = await cli("validate", m);
      expect(local.code, local.stderr).toBe(0);
      expect(local.stdout).toContain("valid Import manifest");
      expect((await emu().admin.stats()).total).toBe(0);

      const server = await cli("validate", m, "--server");
      expect(server.code, server.stderr).toBe(0);
      expect(server.stdout).toContain("accepted it (ValidateOnly)");
      expect((await emu().admin.stats()).byAction["CreateJob"]).toBe(1);
      expect(await emu().admin.jobs()).toHaveLength(0);
    });

    it("infers Export from operations[].exportBucket; --job-type overrides", async () => {
      const m = file("export.yaml", exportManifest);
      const inferred = await cli("validate", m);
      expect(inferred.code, inferred.stdout + inferred.stderr).toBe(0);
      expect(inferred.stdout).toContain("valid Export manifest");
      const forced = await cli("validate", m, "--job-type", "import");
      expect(forced.code).toBe(2);
      expect(forced.stdout).toMatch(/^bucket: .* \(MissingManifestFieldException\)$/m);
      expect(forced.stdout).toMatch(/^fileSystem: .*only valid for Export jobs.* \(InvalidManifestFieldException\)$/m);
    });

    it("lists every problem as `path: message (Code)` and exits 2", async () => {
      const text = importManifest("alice-import").replace("deviceId: 49382\n", "").replace("eraseDevice: yes", "eraseDevice: maybe");
      const r = await cli("validate", file("bad.yaml", text));
      expect(r.code).toBe(2);
      const problems = r.stdout.trim().split("\n");
      expect(problems).toEqual([
        expect.stringMatching(/^deviceId: .*missing.* \(MissingManifestFieldException\)$/),
        expect.stringMatching(/^eraseDevice: .*"maybe".* \(InvalidManifestFieldException\)$/),
      ]);
      expectOneLineError(r, "MissingManifestFieldException");
      expect(r.stderr).toContain("bad.yaml is not a valid Import manifest (2 problems");
    });

    it("YAML syntax errors and duplicate keys come with file:line:column and exit 2", async () => {
      const syntax = await cli("validate", file("syntax.yaml", "manifestVersion: 2.0\nbucket: a\nreturnAddress:\n  name: [Jane\n"));
      expect(syntax.code).toBe(2);
      expectOneLineError(syntax, "MalformedManifestException");
      expect(syntax.stderr).toMatch(/syntax\.yaml:\d+:\d+: Your manifest is not well-formed: /);
      const dup = await cli("validate", file("dup.yaml", "manifestVersion: 2.0\nbucket: a\nbucket: b\n"));
      expect(dup.code).toBe(2);
      expectOneLineError(dup, "MalformedManifestException");
      expect(dup.stderr).toContain("dup.yaml:3:1: Your manifest is not well-formed: duplicate key");
    });

    it("an unreadable manifest file exits 2 naming the file", async () => {
      const r = await cli("validate", join(dir(), "missing.yaml"));
      expect(r.code).toBe(2);
      expectOneLineError(r, "InvalidParameterException");
      expect(r.stderr).toContain("missing.yaml");
      expect(r.stderr).toContain("no such file");
    });

    it("--server: a manifest the service refuses (another account's bucket) exits 1 with the service's code", async () => {
      const r = await cli("validate", file("bob.yaml", importManifest("bob-import")), "--server");
      expect(r.code).toBe(1);
      expectOneLineError(r, "BucketPermissionException");
      expect(r.stderr).toContain("bob-import");
    });
  });

  describe("job verbs", () => {
    it("create-job from file:// prints the API's members in JSON; the job exists", async () => {
      const m = file("import.yaml", importManifest("alice-import"));
      const r = await cli("create-job", "--job-type", "Import", "--manifest", `file://${m}`);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe("");
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(Object.keys(out).slice(0, 4)).toEqual(["JobId", "JobType", "Signature", "SignatureFileContents"]);
      expect(out["JobId"]).toMatch(/^[1-9A-NP-Z]{5}$/);
      expect(out["JobType"]).toBe("Import");
      expect(out["$metadata"]).toBeUndefined();
      expect(r.stdout).toMatch(/^ {4}"JobId"/m); // 4-space indent, as the AWS CLI
      expect((await emu().admin.jobs()).map((j) => j.jobId)).toEqual([out["JobId"]]);
    });

    it("create-job with inline manifest text, --validate-only creates nothing, and a relative file:// path", async () => {
      const inline = await cli("create-job", "--job-type", "export", "--manifest", exportManifest);
      expect(inline.code, inline.stderr).toBe(0);
      expect(JSON.parse(inline.stdout)).toMatchObject({ JobType: "Export" });
      const validateOnly = await cli("create-job", "--job-type", "Export", "--manifest", exportManifest, "--validate-only");
      expect(validateOnly.code, validateOnly.stderr).toBe(0);
      expect(JSON.parse(validateOnly.stdout).JobId).toBeUndefined();
      file("relative.yaml", importManifest("alice-import"));
      const relative = await cli("create-job", "--job-type", "Import", "--manifest", "file://relative.yaml", "--no-validate-only");
      expect(relative.code, relative.stderr).toBe(0);
      expect(await emu().admin.jobs()).toHaveLength(2);
    });

    it("create-job refused by the service exits 1 (NoSuchBucketException), unreadable file:// exits 2 before sending", async () => {
      const refused = await cli("create-job", "--job-type", "Import", "--manifest", importManifest("no-such-bucket"));
      expect(refused.code).toBe(1);
      expectOneLineError(refused, "NoSuchBucketException");
      const before = (await emu().admin.stats()).total;
      const unreadable = await cli("create-job", "--job-type", "Import", "--manifest", `file://${join(dir(), "nope.yaml")}`);
      expect(unreadable.code).toBe(2);
      expectOneLineError(unreadable, "InvalidParameterException");
      expect((await emu().admin.stats()).total).toBe(before);
    });

    it("get-status: json has the status members and ISO-8601 dates; text and table carry the same values", async () => {
      const jobId = await createJob();
      const json = await cli("get-status", "--job-id", jobId);
      expect(json.code, json.stderr).toBe(0);
      const status = JSON.parse(json.stdout) as Record<string, unknown>;
      expect(status).toMatchObject({ JobId: jobId, JobType: "Import", LocationCode: "NotReceived", ProgressCode: "Pending", ErrorCount: 0 });
      expect(status["CreationDate"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(status["CurrentManifest"]).toBe(importManifest("alice-import"));

      const text = await cli("get-status", "--job-id", jobId, "--output", "text");
      expect(text.code).toBe(0);
      // Scalars tab-separated in member-name order (as the AWS CLI), then one ARTIFACTLIST line per artifact.
      expect(text.stdout.startsWith(`${status["AwsShippingAddress"]}\t${status["CreationDate"]}\t${status["CurrentManifest"]}\t0\t${jobId}\tImport\tNotReceived\t`)).toBe(true);
      expect(text.stdout).toMatch(/^ARTIFACTLIST\tShipping instructions[^\t]*\thttp:\/\/\S+\.pdf$/m);

      const table = await cli("get-status", "--job-id", jobId, "--output", "table");
      expect(table.code).toBe(0);
      const lines = table.stdout.trimEnd().split("\n");
      // A box: every line has the same width, the title is the operation name, rows are `| Member | value |`.
      expect(new Set(lines.map((l) => l.length)).size).toBe(1);
      expect(lines[1]).toMatch(/^\|\s+GetStatus\s+\|$/);
      expect(table.stdout).toMatch(new RegExp(`^\\| JobId +\\| ${jobId} +\\|$`, "m"));
      expect(table.stdout).toMatch(/^\| ProgressCode +\| Pending +\|$/m);
      expect(table.stdout).toMatch(/^\|\s+ArtifactList\s+\|$/m);
      expect(table.stdout).toMatch(/^\| Description +\| URL +\|$/m);
    });

    it("get-status of an unknown job exits 1 with InvalidJobIdException", async () => {
      const r = await cli("get-status", "--job-id", "ZZZZZ");
      expect(r.code).toBe(1);
      expectOneLineError(r, "InvalidJobIdException");
      expect(r.stdout).toBe("");
    });

    it("update-job replaces the manifest while Pending; once InProgress it exits 1 (UnableToUpdateJobIdException)", async () => {
      const jobId = await createJob();
      const m = file("update.yaml", importManifest("alice-import").replace("deviceId: 49382", "deviceId: 77777"));
      const ok = await cli("update-job", "--job-id", jobId, "--job-type", "Import", "--manifest", `file://${m}`, "--no-validate-only", "--output", "text");
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout.split("\n")[0]).toBe("True");
      const status = JSON.parse((await cli("get-status", "--job-id", jobId)).stdout) as { CurrentManifest: string };
      expect(status.CurrentManifest).toContain("deviceId: 77777");

      await emu().admin.advance(jobId, { progressCode: "InProgress", locationCode: "AtAWS" });
      const refused = await cli("update-job", "--job-id", jobId, "--job-type", "Import", "--manifest", `file://${m}`);
      expect(refused.code).toBe(1);
      expectOneLineError(refused, "UnableToUpdateJobIdException");
    });

    it("list-jobs follows every page; --max-items stops with a NextToken that --starting-token continues from", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await createJob());
      const newestFirst = [...ids].reverse();
      const before = (await emu().admin.stats()).byAction["ListJobs"] ?? 0;
      const all = await cli("list-jobs", "--page-size", "2");
      expect(all.code, all.stderr).toBe(0);
      const listed = JSON.parse(all.stdout) as { Jobs: { JobId: string; CreationDate: string; IsCanceled: boolean; JobType: string }[]; NextToken?: string };
      expect(listed.Jobs.map((j) => j.JobId)).toEqual(newestFirst);
      expect(listed.NextToken).toBeUndefined();
      expect(listed.Jobs[0]).toEqual({ JobId: newestFirst[0], CreationDate: expect.stringMatching(/Z$/), IsCanceled: false, JobType: "Import" });
      // Three requests of two: the command paginates, the user does not.
      expect((await emu().admin.stats()).byAction["ListJobs"]).toBe(before + 3);

      const first = JSON.parse((await cli("list-jobs", "--max-items", "2")).stdout) as typeof listed;
      expect(first.Jobs.map((j) => j.JobId)).toEqual(newestFirst.slice(0, 2));
      expect(first.NextToken).toBe(newestFirst[1]);
      const rest = JSON.parse((await cli("list-jobs", "--starting-token", first.NextToken!)).stdout) as typeof listed;
      expect(rest.Jobs.map((j) => j.JobId)).toEqual(newestFirst.slice(2));
    });

    it("get-shipping-label for several jobs prints the label URL; a partial address exits 1", async () => {
      const a = await createJob();
      const b = await createJob();
      const r = await cli("get-shipping-label", "--job-ids", a, b, "--output", "text");
      expect(r.code, r.stderr).toBe(0);
      const url = r.stdout.trim();
      expect(url.startsWith(emu().endpoint)).toBe(true);
      const pdf = Buffer.from(await (await fetch(url)).arrayBuffer()).toString("latin1");
      expect(pdf).toContain(a);
      expect(pdf).toContain(b);
      const partial = await cli("get-shipping-label", "--job-ids", a, "--name", "Jane Roe");
      expect(partial.code).toBe(1);
      expectOneLineError(partial, "InvalidAddressException");
    });

    it("cancel-job cancels (Success true); a second cancel exits 1 with CanceledJobIdException", async () => {
      const jobId = await createJob();
      const r = await cli("cancel-job", "--job-id", jobId, "--output", "table");
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^\| Success +\| True +\|$/m);
      expect((await emu().admin.jobs())[0]?.isCanceled).toBe(true);
      const again = await cli("cancel-job", "--job-id", jobId);
      expect(again.code).toBe(1);
      expectOneLineError(again, "CanceledJobIdException");
    });
  });

  describe("same output as the AWS CLI", () => {
    it("list-jobs and get-shipping-label: text is byte-identical, json is the same data", async () => {
      const a = await createJob();
      const b = await createJob();
      await cli("cancel-job", "--job-id", a);
      for (const args of [["list-jobs"], ["get-shipping-label", "--job-ids", b]]) {
        for (const output of ["text", "json"]) {
          const ours = await cli(...args, "--output", output);
          const theirs = await aws([...args, "--output", output, "--endpoint-url", emu().endpoint], env());
          expect(theirs.code, theirs.stderr).toBe(0);
          expect(ours.code, ours.stderr).toBe(0);
          if (output === "text") expect(ours.stdout).toBe(theirs.stdout);
          else expect(JSON.parse(ours.stdout)).toEqual(JSON.parse(theirs.stdout));
        }
      }
    });

    it("get-status json: every member the AWS CLI shows, with the same values (ours adds AwsShippingAddress)", async () => {
      const jobId = await createJob();
      const ours = JSON.parse((await cli("get-status", "--job-id", jobId)).stdout) as Record<string, unknown>;
      const theirs = JSON.parse((await aws(["get-status", "--job-id", jobId, "--endpoint-url", emu().endpoint], env())).stdout) as Record<string, unknown>;
      const { AwsShippingAddress, ...rest } = ours;
      expect(AwsShippingAddress).toContain(jobId);
      expect(rest).toEqual(theirs);
    });
  });

  describe("configuration", () => {
    it("--endpoint-url beats AWS_ENDPOINT_URL_IMPORTEXPORT, which beats AWS_ENDPOINT_URL", async () => {
      const dead = "http://127.0.0.1:1";
      const flag = await runCli(["list-jobs", "--endpoint-url", emu().endpoint], { ...env(), AWS_ENDPOINT_URL_IMPORTEXPORT: dead }, dir());
      expect(flag.code, flag.stderr).toBe(0);
      const specific = await runCli(["list-jobs"], { ...env(), AWS_ENDPOINT_URL_IMPORTEXPORT: emu().endpoint, AWS_ENDPOINT_URL: dead }, dir());
      expect(specific.code, specific.stderr).toBe(0);
      const general: NodeJS.ProcessEnv = { ...env(), AWS_ENDPOINT_URL: emu().endpoint };
      delete general["AWS_ENDPOINT_URL_IMPORTEXPORT"];
      expect((await runCli(["list-jobs"], general, dir())).code).toBe(0);
    });

    it("no answer from the endpoint exits 1 with the network code", async () => {
      const r = await cli("list-jobs", "--endpoint-url", "http://127.0.0.1:1");
      expect(r.code).toBe(1);
      expectOneLineError(r, "ECONNREFUSED");
    });

    it("--signature-version v4 and --profile (shared credentials file) work; a wrong secret exits 1 without leaking it", async () => {
      expect((await cli("list-jobs", "--signature-version", "v4")).code).toBe(0);

      const aliceJob = await createJob();
      const profiles = isolatedEnv({ AWS_ENDPOINT_URL_IMPORTEXPORT: emu().endpoint });
      writeFileSync(
        profiles["AWS_SHARED_CREDENTIALS_FILE"]!,
        `[bob]\naws_access_key_id = ${emu().otherAccount.accessKeyId}\naws_secret_access_key = ${emu().otherAccount.secretAccessKey}\n`,
      );
      const asBob = await runCli(["list-jobs", "--profile", "bob"], profiles, dir());
      expect(asBob.code, asBob.stderr).toBe(0);
      // Alice's job is not Bob's.
      expect(JSON.parse(asBob.stdout)).toEqual({ Jobs: [] });
      expect((await runCli(["get-status", "--job-id", aliceJob, "--profile", "bob"], profiles, dir())).code).toBe(1);

      const secret = "a-wrong-secret-that-must-not-leak-0001";
      const wrong = await runCli(["list-jobs"], { ...env(), AWS_SECRET_ACCESS_KEY: secret }, dir());
      expect(wrong.code).toBe(1);
      expectOneLineError(wrong, "SignatureDoesNotMatch");
      expect(wrong.stderr + wrong.stdout).not.toContain(secret);
    });

    it("no credentials at all exits 2 and says how to provide them", async () => {
      const r = await runCli(["list-jobs"], isolatedEnv({ AWS_ENDPOINT_URL_IMPORTEXPORT: emu().endpoint }), dir());
      expect(r.code).toBe(2);
      expectOneLineError(r, "NoCredentials");
      expect(r.stderr).toContain("AWS_ACCESS_KEY_ID");
    });

    it("AWS_DEFAULT_OUTPUT chooses the format when --output is not given", async () => {
      await createJob();
      const r = await runCli(["list-jobs"], { ...env(), AWS_DEFAULT_OUTPUT: "text" }, dir());
      expect(r.stdout).toMatch(/^JOBS\t\S+Z\tFalse\t[1-9A-NP-Z]{5}\tImport\n$/);
    });
  });
});
