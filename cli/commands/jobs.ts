/**
 * The job verbs, named and flagged as the AWS CLI's `aws importexport ...` commands: create-job, update-job,
 * get-status, list-jobs (auto-paginated), get-shipping-label and cancel-job. Each prints the operation's output
 * with the API's member names.
 */
import type { Command } from "commander";
import { shippingAddressMembers, type ShippingAddressMember } from "../../sdk/model";
import type { GetShippingLabelInput, Job } from "../../sdk/types";
import { withClient, type CliContext } from "../context";
import { CliInputError } from "../errors";
import { parseCount, parseJobType, readManifestArgument } from "../input";
import { operationResult, toPlain, type PlainValue } from "../output";

/** `--api-version`: the client tool version member some operations carry (not the protocol version). */
function apiVersion(o: { apiVersion?: string }): { APIVersion?: string } {
  return o.apiVersion !== undefined ? { APIVersion: o.apiVersion } : {};
}

/** `--validate-only | --no-validate-only`; neither means create/update for real (the AWS CLI requires one; a default is friendlier). */
function validateOnlyFlags(cmd: Command): Command {
  return cmd
    .option("--validate-only", "only validate the manifest and parameters; create or change nothing")
    .option("--no-validate-only", "create or update the job (the default)");
}

/** Placeholder and help text of each address flag (a member added to the model fails to compile until it has one). */
const ADDRESS_FLAGS: Readonly<Record<ShippingAddressMember, readonly [placeholder: string, what: string]>> = {
  name: ["name", "name"],
  company: ["company", "company"],
  phoneNumber: ["phone", "phone number"],
  country: ["country", "country"],
  stateOrProvince: ["state", "state or province"],
  city: ["city", "city"],
  postalCode: ["code", "postal code"],
  street1: ["street", "street, line 1"],
  street2: ["street", "street, line 2"],
  street3: ["street", "street, line 3"],
};

/** `phoneNumber` → `phone-number`, the AWS CLI's spelling of a member as a flag. */
function kebab(member: string): string {
  return member.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

interface ManifestOptions {
  jobType: string;
  manifest: string;
  validateOnly?: boolean;
  apiVersion?: string;
}

/** Adds the six job verbs to `program`. */
export function addJobCommands(program: Command, ctx: CliContext): void {
  validateOnlyFlags(
    program
      .command("create-job")
      .description("Create an import or export job from a manifest (CreateJob).")
      .requiredOption("--job-type <type>", "Import or Export")
      .requiredOption("--manifest <manifest>", "the manifest: file://PATH, or the YAML text itself")
      .option("--manifest-addendum <text>", "for internal use only (API member ManifestAddendum)"),
  )
    .option("--api-version <version>", "version of the client tool (API member APIVersion)")
    .action(async (o: ManifestOptions & { manifestAddendum?: string }, cmd: Command) => {
      const JobType = parseJobType(o.jobType);
      const manifest = readManifestArgument(o.manifest);
      await withClient(ctx, cmd, "CreateJob", async (client) => {
        const out = await client.createJob({
          JobType, Manifest: manifest.text, ValidateOnly: o.validateOnly ?? false,
          ...(o.manifestAddendum !== undefined ? { ManifestAddendum: o.manifestAddendum } : {}), ...apiVersion(o),
        });
        return operationResult("CreateJob", out);
      });
    });

  validateOnlyFlags(
    program
      .command("update-job")
      .description("Replace the manifest of a job that has not started (UpdateJob).")
      .requiredOption("--job-id <id>", "the job to update")
      .requiredOption("--job-type <type>", "Import or Export (must match the job)")
      .requiredOption("--manifest <manifest>", "the new manifest: file://PATH, or the YAML text itself"),
  )
    .option("--api-version <version>", "version of the client tool (API member APIVersion)")
    .action(async (o: ManifestOptions & { jobId: string }, cmd: Command) => {
      const JobType = parseJobType(o.jobType);
      const manifest = readManifestArgument(o.manifest);
      await withClient(ctx, cmd, "UpdateJob", async (client) => {
        const out = await client.updateJob({ JobId: o.jobId, JobType, Manifest: manifest.text, ValidateOnly: o.validateOnly ?? false, ...apiVersion(o) });
        return operationResult("UpdateJob", out);
      });
    });

  program
    .command("get-status")
    .description("Show a job's location, progress, signature and current manifest (GetStatus).")
    .requiredOption("--job-id <id>", "the job")
    .option("--api-version <version>", "version of the client tool (API member APIVersion)")
    .action(async (o: { jobId: string; apiVersion?: string }, cmd: Command) => {
      await withClient(ctx, cmd, "GetStatus", async (client) => operationResult("GetStatus", await client.getStatus({ JobId: o.jobId, ...apiVersion(o) })));
    });

  program
    .command("list-jobs")
    .description("List your jobs, newest first (ListJobs; follows every page unless --max-items stops it).")
    .option("--max-items <n>", "stop after N jobs and print a NextToken to continue from")
    .option("--page-size <n>", "jobs per request (API member MaxJobs)")
    .option("--starting-token <token>", "continue after this NextToken (a JobId)")
    .option("--api-version <version>", "version of the client tool (API member APIVersion)")
    .action(async (o: { maxItems?: string; pageSize?: string; startingToken?: string; apiVersion?: string }, cmd: Command) => {
      const maxItems = o.maxItems !== undefined ? parseCount(o.maxItems, "--max-items") : undefined;
      const pageSize = o.pageSize !== undefined ? parseCount(o.pageSize, "--page-size") : undefined;
      await withClient(ctx, cmd, "ListJobs", async (client) => {
        const jobs: Job[] = [];
        let nextToken: string | undefined;
        const pages = client.paginateListJobs({
          ...(pageSize !== undefined ? { MaxJobs: pageSize } : {}),
          ...(o.startingToken !== undefined ? { Marker: o.startingToken } : {}),
          ...apiVersion(o),
        });
        collect: for await (const page of pages) {
          for (const job of page.Jobs) {
            if (maxItems !== undefined && jobs.length >= maxItems) {
              // More jobs exist than asked for: the last printed JobId is where the next run starts (Marker).
              nextToken = jobs[jobs.length - 1]?.JobId;
              break collect;
            }
            jobs.push(job);
          }
        }
        const result: { [key: string]: PlainValue } = { Jobs: toPlain(jobs) };
        if (nextToken !== undefined) result["NextToken"] = nextToken;
        return result;
      });
    });

  const label = program
    .command("get-shipping-label")
    .description("Get a pre-paid shipping label (PDF URL) for sending devices to AWS (GetShippingLabel).")
    .requiredOption("--job-ids <ids...>", "one or more JobIds");
  // One flag per address member of the model, named as the AWS CLI names them (phoneNumber → --phone-number).
  for (const member of shippingAddressMembers) {
    const [placeholder, what] = ADDRESS_FLAGS[member];
    label.option(`--${kebab(member)} <${placeholder}>`, `shipper's ${what}`);
  }
  label
    .option("--api-version <version>", "version of the client tool (API member APIVersion)")
    .action(async (o: Record<string, string | string[] | undefined>, cmd: Command) => {
      const jobIds = (o["jobIds"] as string[] | undefined) ?? [];
      // The AWS CLI also accepts "A,B" as one value; a comma is never part of a JobId.
      const ids = jobIds.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
      if (ids.length === 0) throw new CliInputError("MissingParameterException", "--job-ids needs at least one JobId.");
      const input: GetShippingLabelInput = { jobIds: ids };
      for (const member of shippingAddressMembers) {
        const v = o[member];
        if (typeof v === "string") input[member] = v;
      }
      if (typeof o["apiVersion"] === "string") input.APIVersion = o["apiVersion"];
      await withClient(ctx, cmd, "GetShippingLabel", async (client) => operationResult("GetShippingLabel", await client.getShippingLabel(input)));
    });

  program
    .command("cancel-job")
    .description("Cancel a job that has not started (CancelJob).")
    .requiredOption("--job-id <id>", "the job")
    .option("--api-version <version>", "version of the client tool (API member APIVersion)")
    .action(async (o: { jobId: string; apiVersion?: string }, cmd: Command) => {
      await withClient(ctx, cmd, "CancelJob", async (client) => operationResult("CancelJob", await client.cancelJob({ JobId: o.jobId, ...apiVersion(o) })));
    });
}
