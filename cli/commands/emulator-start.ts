/**
 * `importexport emulator` without a verb: runs the local Import/Export emulator, exactly as the `importexport-emulator`
 * bin does (same flags, same first stdout line `{"endpoint","region","accounts"}`, logs on stderr), until
 * SIGINT/SIGTERM. Loaded only when the command line names `emulator` (commands/emulator.ts): the flags come from the
 * emulator's own modules, which load the whole emulator.
 */
import type { Command } from "commander";
import { startEmulator } from "../../emulator";
import { addEmulatorFlags, dashboardLine, EmulatorFlagError, emulatorOptionsFromFlags, NO_VERIFY_WARNING, type EmulatorFlags } from "../../emulator/flags";
import type { CliContext } from "../context";
import { CliInputError } from "../errors";

/** Gives the `emulator` command its flags and its action; returns it, so the admin verbs can hang off it. */
export function configureEmulatorStart(emulator: Command, ctx: CliContext): Command {
  return addEmulatorFlags(emulator)
    // A mistyped verb (`emulator advnce X`) reaches this action as operands: name it instead of commander's
    // "too many arguments", and never start an emulator for it.
    .allowExcessArguments(true)
    .action(async (o: EmulatorFlags, cmd: Command) => {
      const [verb] = cmd.args;
      if (verb !== undefined) {
        const verbs = cmd.commands.map((c) => c.name());
        throw new CliInputError("UsageError", `unknown emulator verb '${verb}'; the verbs are ${verbs.join(", ")} (without one, the emulator starts).`);
      }
      let options;
      try {
        options = emulatorOptionsFromFlags(o);
      } catch (err) {
        if (err instanceof EmulatorFlagError) throw new CliInputError("UsageError", err.message);
        throw err;
      }
      if (options.verifySignatures === false) ctx.io.stderr(NO_VERIFY_WARNING);
      let emulator;
      try {
        emulator = await startEmulator(options);
      } catch (err) {
        // EADDRINUSE, a bad accounts file, real-looking keys: all fixable by the user's flags.
        const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.name : "Error");
        throw new CliInputError(code, err instanceof Error ? err.message : String(err));
      }
      ctx.io.stdout(`${JSON.stringify({ endpoint: emulator.endpoint, region: emulator.region, accounts: emulator.accounts })}\n`);
      ctx.io.stdout(`${dashboardLine(emulator.dashboardUrl)}\n`);
      await ctx.io.stopSignal();
      await emulator.close();
    });
}
