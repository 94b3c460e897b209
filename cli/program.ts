/**
 * The `importexport` command line: validate a manifest, the AWS CLI's job verbs, and the emulator (run one, or
 * drive a running one through its admin API).
 *
 * `runCli(argv, io)` parses and runs one command and resolves to its exit code (0 ok, 1 the service refused,
 * 2 usage or input error); it never throws and never prints a stack trace. `bin.ts` calls it with the process's
 * streams; tests can too.
 */
import { Command, CommanderError } from "commander";
import { packageVersion } from "../sdk/version";
import { addEmulatorCommand, completeEmulatorCommand } from "./commands/emulator";
import { addJobCommands } from "./commands/jobs";
import { addValidateCommand } from "./commands/validate";
import type { CliContext, CliIo } from "./context";
import { describeFailure, environmentSecrets, ExitCode, formatFailure } from "./errors";
import { redactSecrets } from "../sdk/redact";

export type { CliIo } from "./context";
export { ExitCode } from "./errors";

/** Builds the commander program for one run. Exposed for tests and for embedding; most callers want `runCli`. */
export function createProgram(ctx: CliContext): Command {
  const { io } = ctx;
  const program = new Command("importexport")
    .description("AWS Import/Export from the command line: check manifests, manage jobs, run the local emulator.")
    .version(packageVersion(), "--version", "print the version")
    // Settings made before .command() are inherited by every subcommand.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      // Commander's messages ("error: unknown option '--x'") become the command's one-line error format.
      outputError: (s, write) => write(`${formatFailure({ code: "UsageError", message: s.replace(/^error:\s*/, "") })}\n`),
    })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showSuggestionAfterError(true)
    .option("--endpoint-url <url>", "service URL (default: AWS_ENDPOINT_URL_IMPORTEXPORT > AWS_ENDPOINT_URL > https://importexport.amazonaws.com)")
    .option("--region <region>", "client region (default: AWS_REGION > AWS_DEFAULT_REGION > us-east-1)")
    .option("--profile <name>", "shared config/credentials profile (as AWS_PROFILE)")
    .option("--signature-version <v2|v4>", "request signing: v2 (default) or v4")
    .option("--output <format>", "json (default), text or table; default AWS_DEFAULT_OUTPUT")
    .option("--cli-read-timeout <seconds>", "seconds from sending a request to the whole answer having arrived (default: IMPORTEXPORT_CLI_READ_TIMEOUT > 30)")
    .option("--max-response-bytes <n>", "largest answer read, in bytes (default: IMPORTEXPORT_MAX_RESPONSE_BYTES > 8388608)");
  program.addHelpText(
    "after",
    "\nExit codes: 0 ok, 1 the service refused the request, 2 usage or input error.\n" +
      "Credentials: the AWS default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, --profile or AWS_PROFILE, ...).\n",
  );
  addValidateCommand(program, ctx);
  addJobCommands(program, ctx);
  addEmulatorCommand(program, ctx);
  return program;
}

/** The process's streams, environment and stop signals. */
export function processIo(): CliIo {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    env: process.env,
    stopSignal: () =>
      new Promise((resolve) => {
        const on = (signal: NodeJS.Signals): void => {
          process.off("SIGINT", on);
          process.off("SIGTERM", on);
          resolve(signal);
        };
        process.on("SIGINT", on);
        process.on("SIGTERM", on);
      }),
  };
}

/** Runs one command line (`argv` without `node` and the script) and resolves to its exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const ctx: CliContext = { io, exitCode: ExitCode.Ok };
  if (argv.length === 0) {
    io.stderr(`${formatFailure({ code: "UsageError", message: "missing command; run importexport --help for the list" })}\n`);
    return ExitCode.InputError;
  }
  try {
    const program = createProgram(ctx);
    // `help emulator` prints the emulator's help without dispatching to it: complete the command first.
    const emulator = program.commands.find((c) => c.name() === "emulator");
    if (emulator !== undefined && argv.includes("emulator")) await completeEmulatorCommand(emulator, ctx);
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every other commander error was already printed by outputError.
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.InputError;
    }
    const report = describeFailure(err);
    io.stderr(`${redactSecrets(formatFailure(report), environmentSecrets(io.env))}\n`);
    return report.exitCode;
  }
}
