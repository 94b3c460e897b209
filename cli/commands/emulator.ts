/**
 * `importexport emulator`: runs the local emulator (commands/emulator-start.ts) or, with a verb, drives a running one
 * (commands/emulator-admin.ts).
 *
 * Registered in two steps. At start-up only the name and description (what `importexport --help` lists); the flags,
 * the action and the verbs when the command line names `emulator`: `runCli` completes it before parsing when an
 * argument is `emulator` (which covers `help emulator`, where commander prints the help without dispatching), and a
 * preSubcommand hook does for programs driven through `createProgram`. The flags are the emulator's own
 * (emulator/flags.ts), and loading them loads the whole emulator: ~100 files and several MiB that no job verb needs
 * (docs/cli.md#start-up-time-and-memory).
 */
import type { Command } from "commander";
import type { CliContext } from "../context";
import { loadOwnModule } from "../../sdk/own-module";

/** Emulator commands already given their flags, action and verbs. */
const completed = new WeakSet<Command>();

/** Adds the emulator's flags, action and verbs to the `emulator` command (once). */
export async function completeEmulatorCommand(emulator: Command, ctx: CliContext): Promise<void> {
  if (completed.has(emulator)) return;
  completed.add(emulator);
  // required, not import()ed (../../sdk/own-module).
  const [{ configureEmulatorStart }, { addEmulatorAdminCommands }] = await Promise.all([
    loadOwnModule({ require: () => require("./emulator-start.js"), import: () => import("./emulator-start.js") }),
    loadOwnModule({ require: () => require("./emulator-admin.js"), import: () => import("./emulator-admin.js") }),
  ]);
  addEmulatorAdminCommands(configureEmulatorStart(emulator, ctx), ctx);
}

/** Adds `emulator` to `program`; its flags, action and verbs are added when it is the command being run. */
export function addEmulatorCommand(program: Command, ctx: CliContext): Command {
  const emulator = program
    .command("emulator")
    .description("Run the local Import/Export emulator until Ctrl-C. First stdout line: {\"endpoint\",\"region\",\"accounts\"}; the second names the dashboard URL. With a verb (advance, jobs, accounts, clock, iot), drive a running one instead.");
  program.hook("preSubcommand", async (_program, subcommand) => {
    if (subcommand === emulator) await completeEmulatorCommand(emulator, ctx);
  });
  return emulator;
}
