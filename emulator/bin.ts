#!/usr/bin/env node
/**
 * `importexport-emulator`: runs the Import/Export emulator until SIGINT/SIGTERM.
 * The first stdout line is one JSON object `{"endpoint","region","accounts"}`; logs go to stderr.
 */
import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { DEFAULT_PORT, startEmulator, stderrLogger, type EmulatorOptions } from "./index";

/** Parses `500ms`, `30s`, `5m`, `2h`, `1d` (a bare number is seconds) into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`"${text}" is not a duration such as 30s, 5m or 500ms.`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h" | "d"];
  return Math.round(Number(m[1]) * factor);
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`"${text}" is not a number from 0 to 65535.`);
  return n;
}

async function main(): Promise<void> {
  const program = new Command("importexport-emulator")
    .description("Local emulator of the AWS Import/Export web service (API 2010-06-01).")
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option("--port <port>", "TCP port (0 = pick a free one)", parsePort, DEFAULT_PORT)
    .option("--data-dir <dir>", "keep jobs in a durable journal in this directory (default: in memory)")
    .option("--accounts <file>", "JSON file: an array of {accountId, accessKeyId, secretAccessKey, buckets:[{name, region}]} (or {accounts:[...]})")
    .option("--advance-after <duration>", "move every job one lifecycle step after this long (e.g. 30s); default: manual via the admin API", parseDuration)
    .option("--no-verify-signatures", "accept any signature (demos only: client signing bugs go unnoticed)")
    .option("--allow-real-looking-keys", "allow AKIA…/ASIA… access keys in --accounts")
    .option("--create-job-quota <n>", "CreateJob calls allowed per account in any 24 hours (default: no limit)", parsePort)
    .option("--log-format <format>", "stderr log format: json or pretty", "pretty")
    .parse();
  const o = program.opts<{
    host: string;
    port: number;
    dataDir?: string;
    accounts?: string;
    advanceAfter?: number;
    verifySignatures: boolean;
    allowRealLookingKeys?: boolean;
    createJobQuota?: number;
    logFormat: string;
  }>();
  if (o.logFormat !== "json" && o.logFormat !== "pretty") throw new Error("--log-format must be json or pretty");
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
  if (o.accounts !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(o.accounts, "utf8"));
    } catch (e) {
      throw new Error(`Cannot read --accounts ${o.accounts}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { accounts?: unknown } | null)?.accounts;
    options.accounts = list as EmulatorOptions["accounts"] & object;
  }
  if (!o.verifySignatures) process.stderr.write("WARNING: signature verification is off (--no-verify-signatures): for demos only.\n");
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
