#!/usr/bin/env node
/**
 * `importexport-emulator`: runs the Import/Export emulator until SIGINT/SIGTERM.
 * The first stdout line is one JSON object `{"endpoint","region","accounts"}`; logs go to stderr.
 */
import { Command } from "commander";
import { startEmulator } from "./index";
import { addEmulatorFlags, emulatorOptionsFromFlags, NO_VERIFY_WARNING, type EmulatorFlags } from "./flags";

async function main(): Promise<void> {
  const program = addEmulatorFlags(
    new Command("importexport-emulator").description("Local emulator of the AWS Import/Export web service (API 2010-06-01) and the AWS IoT Jobs control plane (API 2015-05-28)."),
  ).parse();
  const options = emulatorOptionsFromFlags(program.opts<EmulatorFlags>());
  if (options.verifySignatures === false) process.stderr.write(NO_VERIFY_WARNING);
  const emulator = await startEmulator(options);
  process.stdout.write(`${JSON.stringify({ endpoint: emulator.endpoint, region: emulator.region, accounts: emulator.accounts })}\n`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`importexport-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
