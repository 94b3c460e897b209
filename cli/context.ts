/**
 * What a command needs from its surroundings: where to write, which environment to read, and how to wait for a
 * stop signal. `bin.ts` passes the process's; tests may pass their own and drive the program in-process.
 */
import type { Command } from "commander";
import type { ImportExportClient } from "../sdk/client";
import { createClient, resolveOutputFormat, type CommonOptions } from "./client";
import type { ExitCode } from "./errors";
import { formatOutput, type OutputFormat, type PlainValue } from "./output";

/** Streams and environment of one run. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM): long-running commands wait for it. */
  stopSignal(): Promise<string>;
}

/** One run of the program: its I/O and the exit code the action settles on. */
export interface CliContext {
  io: CliIo;
  /** The exit code of a command that finished without throwing (validate reports problems this way). */
  exitCode: ExitCode;
}

/** The shared flags of a command, wherever they were typed (before or after the command name). */
export function commonOptions(command: Command): CommonOptions {
  return command.optsWithGlobals<CommonOptions>();
}

/**
 * Runs `fn` with a client built from the shared flags, prints its result in the chosen `--output` format with
 * `title` as the table title, and closes the client (its keep-alive sockets would hold the process open).
 */
export async function withClient(
  ctx: CliContext, command: Command, title: string, fn: (client: ImportExportClient) => Promise<PlainValue>,
): Promise<void> {
  const o = commonOptions(command);
  // Resolve the format first: a bad --output must fail before anything is sent (CreateJob is not idempotent).
  const format: OutputFormat = resolveOutputFormat(o.output, ctx.io.env);
  const client = createClient(o, ctx.io.env);
  try {
    const result = await fn(client);
    ctx.io.stdout(formatOutput(format, title, result));
  } finally {
    await client.destroy();
  }
}
