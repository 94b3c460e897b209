/**
 * `importexport emulator <verb>`: drives a running emulator through its admin API (docs/emulator.md), so a job can
 * be moved along its lifecycle — the device arrives, the transfer starts — without curl:
 *
 * - `emulator advance <jobId>`: the next lifecycle step, or `--progress-code`/`--location-code`/... exactly;
 * - `emulator jobs`: every account's jobs with their history;
 * - `emulator accounts`: the accounts, their keys (the emulator's own, fake by design) and buckets;
 * - `emulator clock [--advance D]`: read or move the job clock (expiry, time-based progression);
 * - `emulator iot advance <jobId> [thingName] --status S`, `emulator iot jobs`: IoT executions, as devices report.
 *
 * Each takes `--endpoint-url` like the job verbs and prints the admin answer in the `--output` format.
 */
import { Option, type Command } from "commander";
import { parseDuration } from "../../emulator/flags";
import { REPORTABLE } from "../../emulator/iot/admin";
import { locationCodes, progressCodes } from "../../sdk/model";
import { resolveOutputFormat } from "../client";
import { commonOptions, type CliContext } from "../context";
import { ADMIN_ENDPOINT_ENV_VARS, callAdmin, IOT_ADMIN_ENDPOINT_ENV_VARS, resolveAdminEndpoint, segment } from "../emulator-admin";
import { parseCount } from "../input";
import { formatOutput, toPlain } from "../output";

/** Which service's endpoint variables name the emulator for a verb. */
type Service = "importexport" | "iot";

/** Sends one admin call with the verb's shared flags and prints the answer under `title`. */
async function runAdmin(
  ctx: CliContext, command: Command, service: Service, title: string,
  call: (endpoint: URL) => Promise<unknown>,
): Promise<void> {
  const o = commonOptions(command);
  // Resolve the format first: a bad --output must fail before the emulator's state changes.
  const format = resolveOutputFormat(o.output, ctx.io.env);
  const endpoint = resolveAdminEndpoint(o.endpointUrl, ctx.io.env, service === "iot" ? IOT_ADMIN_ENDPOINT_ENV_VARS : ADMIN_ENDPOINT_ENV_VARS);
  ctx.io.stdout(formatOutput(format, title, toPlain(await call(endpoint))));
}

interface AdvanceOptions {
  progressCode?: string;
  locationCode?: string;
  errorCount?: number;
  carrier?: string;
  trackingNumber?: string;
}

interface IotAdvanceOptions {
  status: string;
  accountId?: string;
}

/** Adds the admin verbs under the `emulator` command (which, without a verb, starts an emulator). */
export function addEmulatorAdminCommands(emulator: Command, ctx: CliContext): void {
  emulator
    .command("advance")
    .description("Move an Import/Export job along its lifecycle: no flags = the next step (device arrives, transfer starts, ...); flags set the state exactly.")
    .argument("<jobId>", "the job (as CreateJob returned it)")
    .addOption(new Option("--progress-code <code>", "set ProgressCode").choices(progressCodes))
    .addOption(new Option("--location-code <code>", "set LocationCode").choices(locationCodes))
    .option("--error-count <n>", "set the transfer's error count", (v: string) => parseCount(v, "--error-count", 0))
    .option("--carrier <name>", "set the return carrier")
    .option("--tracking-number <number>", "set the return tracking number")
    .action(async (jobId: string, o: AdvanceOptions, cmd: Command) => {
      const body: Record<string, unknown> = {};
      if (o.progressCode !== undefined) body["progressCode"] = o.progressCode;
      if (o.locationCode !== undefined) body["locationCode"] = o.locationCode;
      if (o.errorCount !== undefined) body["errorCount"] = o.errorCount;
      if (o.carrier !== undefined) body["carrier"] = o.carrier;
      if (o.trackingNumber !== undefined) body["trackingNumber"] = o.trackingNumber;
      await runAdmin(ctx, cmd, "importexport", "Job", (endpoint) => callAdmin(endpoint, "POST", `jobs/${segment(jobId)}/advance`, body));
    });

  emulator
    .command("jobs")
    .description("List every account's Import/Export jobs with their state and history.")
    .action(async (_o: unknown, cmd: Command) => {
      await runAdmin(ctx, cmd, "importexport", "Jobs", (endpoint) => callAdmin(endpoint, "GET", "jobs"));
    });

  emulator
    .command("accounts")
    .description("List the emulator's accounts: id, access keys (the emulator's own, fake by design) and buckets with their regions.")
    .action(async (_o: unknown, cmd: Command) => {
      await runAdmin(ctx, cmd, "importexport", "Accounts", (endpoint) => callAdmin(endpoint, "GET", "accounts"));
    });

  emulator
    .command("clock")
    .description("Print the emulator's job clock; --advance moves it forward (expiry after 30 days, --advance-after steps).")
    .option("--advance <duration>", "move the clock forward by this much (500ms, 30s, 5m, 2h, 31d)", parseDuration)
    .action(async (o: { advance?: number }, cmd: Command) => {
      await runAdmin(ctx, cmd, "importexport", "Clock", (endpoint) =>
        o.advance === undefined ? callAdmin(endpoint, "GET", "clock") : callAdmin(endpoint, "POST", "clock", { advanceMs: o.advance }));
    });

  const iot = emulator.command("iot").description("Drive the emulator's IoT jobs: list them, report executions as devices would.");
  iot
    .command("advance")
    .description("Report an IoT job's executions: one thing's, or (without thingName) every execution not yet terminal.")
    .argument("<jobId>", "the IoT job")
    .argument("[thingName]", "the one thing that reports (default: every thing whose execution is not terminal)")
    .addOption(new Option("--status <status>", "the status the devices report").choices(REPORTABLE).default("SUCCEEDED"))
    .option("--account-id <id>", "pick the job's account when the jobId exists in several (the shared --region picks its region)")
    .action(async (jobId: string, thingName: string | undefined, o: IotAdvanceOptions, cmd: Command) => {
      const body: Record<string, unknown> = { status: o.status };
      if (o.accountId !== undefined) body["accountId"] = o.accountId;
      // The shared --region (accepted before or after the verb) names the job's region here.
      const region = commonOptions(cmd).region;
      if (region !== undefined) body["region"] = region;
      const route = `iot/jobs/${segment(jobId)}/executions${thingName !== undefined ? `/${segment(thingName)}` : ""}`;
      await runAdmin(ctx, cmd, "iot", "IotJob", (endpoint) => callAdmin(endpoint, "POST", route, body));
    });
  iot
    .command("jobs")
    .description("List every account's IoT jobs with their executions.")
    .action(async (_o: unknown, cmd: Command) => {
      await runAdmin(ctx, cmd, "iot", "IotJobs", (endpoint) => callAdmin(endpoint, "GET", "iot/jobs"));
    });
}

