/**
 * `importexport emulator`: runs the local Import/Export emulator, exactly as the `importexport-emulator` bin does
 * (same flags, same first stdout line `{"endpoint","region","accounts"}`, logs on stderr), until SIGINT/SIGTERM.
 */
import type { Command } from "commander";
import { startEmulator } from "../../emulator";
import { addEmulatorFlags, dashboardLine, EmulatorFlagError, emulatorOptionsFromFlags, NO_VERIFY_WARNING, type EmulatorFlags } from "../../emulator/flags";
import type { CliContext } from "../context";
import { CliInputError } from "../errors";

/** Adds `emulator` to `program`. */
export function addEmulatorCommand(program: Command, ctx: CliContext): void {
  addEmulatorFlags(
    program
      .command("emulator")
      .description("Run the local Import/Export emulator until Ctrl-C. First stdout line: {\"endpoint\",\"region\",\"accounts\"}; the second names the dashboard URL."),
  ).action(async (o: EmulatorFlags) => {
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
