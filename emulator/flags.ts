/**
 * The emulator's command-line flags, shared by the `importexport-emulator` bin and `importexport emulator`, so the
 * two spell, default and check them the same way (design.md fixes this interface).
 */
import { readFileSync } from "node:fs";
import { InvalidArgumentError, type Command } from "commander";
import { DEFAULT_PORT, stderrLogger, type EmulatorOptions } from "./index";

/** Parses `500ms`, `30s`, `5m`, `2h`, `1d` (a bare number is seconds) into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`"${text}" is not a duration such as 30s, 5m or 500ms.`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h" | "d"];
  return Math.round(Number(m[1]) * factor);
}

function parseCount(what: string, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n > max) throw new InvalidArgumentError(`"${text}" is not ${what} (0-${max}).`);
    return n;
  };
}

/** The flags as commander parses them. */
export interface EmulatorFlags {
  host: string;
  port: number;
  dataDir?: string;
  accounts?: string;
  advanceAfter?: number;
  verifySignatures: boolean;
  allowRealLookingKeys?: boolean;
  createJobQuota?: number;
  iotDeletionDelay?: number;
  profileStages?: boolean;
  logFormat: string;
}

/** A flag value that cannot work (unreadable accounts file, unknown log format); the message names the flag. */
export class EmulatorFlagError extends Error {
  override readonly name = "EmulatorFlagError";
}

/** Declares the emulator's flags on `command`. */
export function addEmulatorFlags(command: Command): Command {
  return command
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option("--port <port>", "TCP port (0 = pick a free one)", parseCount("a TCP port", 65535), DEFAULT_PORT)
    .option("--data-dir <dir>", "keep jobs in a durable journal in this directory, one emulator per directory (default: in memory)")
    .option("--accounts <file>", "JSON file: an array of {accountId, accessKeyId, secretAccessKey, buckets:[{name, region}]} (or {accounts:[...]})")
    .option("--advance-after <duration>", "move every job one lifecycle step after this long (e.g. 30s); default: manual via the admin API", parseDuration)
    .option("--no-verify-signatures", "accept any signature (demos only: client signing bugs go unnoticed)")
    .option("--allow-real-looking-keys", "allow AKIA…/ASIA… access keys in --accounts")
    .option("--create-job-quota <n>", "CreateJob calls allowed per account in any 24 hours (default: no limit)", parseCount("a count", Number.MAX_SAFE_INTEGER))
    .option("--iot-deletion-delay <duration>", "IoT: how long a deleted job shows DELETION_IN_PROGRESS (default 1s)", parseDuration)
    .option("--log-format <format>", "stderr log format: json or pretty", "pretty")
    .option("--profile-stages", "time each stage of an Import/Export request; sums on GET /_emulator/stats (benchmarks)");
}

/** Turns parsed flags into `startEmulator` options (reads `--accounts`). Throws {@link EmulatorFlagError}. */
export function emulatorOptionsFromFlags(o: EmulatorFlags): EmulatorOptions {
  if (o.logFormat !== "json" && o.logFormat !== "pretty") {
    throw new EmulatorFlagError(`--log-format must be json or pretty, found ${JSON.stringify(o.logFormat)}.`);
  }
  const options: EmulatorOptions = {
    host: o.host,
    port: o.port,
    verifySignatures: o.verifySignatures,
    allowRealLookingKeys: o.allowRealLookingKeys === true,
    logger: stderrLogger(o.logFormat),
  };
  if (o.dataDir !== undefined) options.dataDir = o.dataDir;
  if (o.advanceAfter !== undefined) options.advanceAfterMs = o.advanceAfter;
  if (o.createJobQuota !== undefined) options.createJobQuotaPerDay = o.createJobQuota;
  if (o.iotDeletionDelay !== undefined) options.iotDeletionDelayMs = o.iotDeletionDelay;
  if (o.profileStages === true) options.profileStages = true;
  if (o.accounts !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(o.accounts, "utf8"));
    } catch (e) {
      throw new EmulatorFlagError(`--accounts ${JSON.stringify(o.accounts)}: cannot read the accounts file (${e instanceof Error ? e.message : String(e)}).`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { accounts?: unknown } | null)?.accounts;
    if (!Array.isArray(list)) throw new EmulatorFlagError(`--accounts ${JSON.stringify(o.accounts)}: expected an array of accounts or {"accounts": [...]}.`);
    options.accounts = list as NonNullable<EmulatorOptions["accounts"]>;
  }
  return options;
}

/** The warning both entry points print when signatures are not checked. */
export const NO_VERIFY_WARNING = "WARNING: signature verification is off (--no-verify-signatures): for demos only.\n";

/** The second stdout line of the emulator bin and `importexport emulator` (the first stays the JSON contract). */
export function dashboardLine(dashboardUrl: string): string {
  return `Dashboard: ${dashboardUrl} (loopback only)`;
}
