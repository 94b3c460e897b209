/**
 * `importexport emulator`: runs the local Import/Export emulator, exactly as the `importexport-emulator` bin does
 * (same flags, same first stdout line `{"endpoint","region","accounts"}`, logs on stderr), until SIGINT/SIGTERM.
 */
import { readFileSync } from "node:fs";
import { InvalidArgumentError, type Command } from "commander";
import { DEFAULT_PORT, startEmulator, stderrLogger, type EmulatorOptions } from "../../emulator";
import { parseDuration } from "../../emulator/bin";
import type { CliContext } from "../context";
import { CliInputError } from "../errors";

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new InvalidArgumentError(`"${text}" is not a TCP port (0-65535).`);
  return n;
}

interface EmulatorFlags {
  host: string;
  port: number;
  dataDir?: string;
  accounts?: string;
  advanceAfter?: number;
  verifySignatures: boolean;
  allowRealLookingKeys?: boolean;
  logFormat: string;
}

/** Reads `--accounts FILE`: an array of accounts, or `{ "accounts": [...] }` (the bin's first-line shape). */
function readAccounts(file: string): NonNullable<EmulatorOptions["accounts"]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CliInputError("UsageError", `--accounts ${JSON.stringify(file)}: cannot read the accounts file (${err instanceof Error ? err.message : String(err)}).`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { accounts?: unknown } | null)?.accounts;
  if (!Array.isArray(list)) throw new CliInputError("UsageError", `--accounts ${JSON.stringify(file)}: expected an array of accounts or {"accounts": [...]}.`);
  return list as NonNullable<EmulatorOptions["accounts"]>;
}

/** Adds `emulator` to `program`. */
export function addEmulatorCommand(program: Command, ctx: CliContext): void {
  program
    .command("emulator")
    .description("Run the local Import/Export emulator until Ctrl-C. First stdout line: {\"endpoint\",\"region\",\"accounts\"}.")
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option("--port <port>", "TCP port (0 = pick a free one)", parsePort, DEFAULT_PORT)
    .option("--data-dir <dir>", "keep jobs in a durable journal in this directory (default: in memory)")
    .option("--accounts <file>", "JSON file: an array of {accountId, accessKeyId, secretAccessKey, buckets:[{name, region}]}")
    .option("--advance-after <duration>", "move every job one lifecycle step after this long (e.g. 30s)", (v: string) => parseDuration(v))
    .option("--no-verify-signatures", "accept any signature (demos only)")
    .option("--allow-real-looking-keys", "allow AKIA…/ASIA… access keys in --accounts")
    .option("--log-format <format>", "stderr log format: json or pretty", "pretty")
    .action(async (o: EmulatorFlags) => {
      if (o.logFormat !== "json" && o.logFormat !== "pretty") throw new CliInputError("UsageError", `--log-format must be json or pretty, found ${JSON.stringify(o.logFormat)}.`);
      const options: EmulatorOptions = {
        host: o.host,
        port: o.port,
        verifySignatures: o.verifySignatures,
        allowRealLookingKeys: o.allowRealLookingKeys === true,
        logger: stderrLogger(o.logFormat),
      };
      if (o.dataDir !== undefined) options.dataDir = o.dataDir;
      if (o.advanceAfter !== undefined) options.advanceAfterMs = o.advanceAfter;
      if (o.accounts !== undefined) options.accounts = readAccounts(o.accounts);
      if (!o.verifySignatures) ctx.io.stderr("WARNING: signature verification is off (--no-verify-signatures): for demos only.\n");
      let emulator;
      try {
        emulator = await startEmulator(options);
      } catch (err) {
        // EADDRINUSE, a bad accounts file, real-looking keys: all fixable by the user's flags.
        const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.name : "Error");
        throw new CliInputError(code, err instanceof Error ? err.message : String(err));
      }
      ctx.io.stdout(`${JSON.stringify({ endpoint: emulator.endpoint, region: emulator.region, accounts: emulator.accounts })}\n`);
      await ctx.io.stopSignal();
      await emulator.close();
    });
}
