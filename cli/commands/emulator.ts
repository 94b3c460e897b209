/**
 * `importexport emulator`: runs the local emulator (commands/emulator-start.ts) or, with a verb, drives a running one
 * (commands/emulator-admin.ts).
 *
 * Registered in two steps. At start-up only the name and description (what `importexport --help` lists); the flags,
 * the action and the verbs when the command line names `emulator` (commander's preSubcommand hook runs before the
 * command's own arguments are parsed, `--help` included). The flags are the emulator's own (emulator/flags.ts), and
 * loading them loads the whole emulator: ~40 ms and ~10 MiB that no job verb needs (docs/cli.md#start-up-time-and-memory).
 */
import type { Command } from "commander";
import type { CliContext } from "../context";

/** Adds `emulator` to `program`; its flags, action and verbs are added when it is the command being run. */
export function addEmulatorCommand(program: Command, ctx: CliContext): Command {
  const emulator = program
    .command("emulator")
    .description("Run the local Import/Export emulator until Ctrl-C. First stdout line: {\"endpoint\",\"region\",\"accounts\"}; the second names the dashboard URL. With a verb (advance, jobs, accounts, clock, iot), drive a running one instead.");
  let configured = false;
  program.hook("preSubcommand", async (_program, subcommand) => {
    if (subcommand !== emulator || configured) return;
    configured = true;
    const [{ configureEmulatorStart }, { addEmulatorAdminCommands }] = await Promise.all([
      import("./emulator-start.js"),
      import("./emulator-admin.js"),
    ]);
    addEmulatorAdminCommands(configureEmulatorStart(emulator, ctx), ctx);
  });
  return emulator;
}
