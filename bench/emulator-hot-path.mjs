#!/usr/bin/env node
/**
 * The emulator's own JavaScript on a GetStatus request, step by step, timed in process: form parsing of a SigV2
 * body, SigV2 verification, the GetStatus XML, the JSON log line. Each step runs 20,000 times to warm up, then 60
 * batches of 1,000 calls; the best batch is printed (µs per call): a step that loses the CPU to another process in
 * one batch still has a clean one, so the figures hold on a loaded machine where bench/emulator-getstatus.mjs's stage
 * times (wall time per request) do not. A profiling aid beside that benchmark, not a target. Needs `npm run build`.
 *
 * Usage: node bench/emulator-hot-path.mjs [--dist OTHER/dist]   (another build's dist/, e.g. main's, for before/after)
 */
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, signV2Body } from "./emulator-lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = parseArgs(process.argv.slice(2));
const dist = resolve(args.dist ?? join(root, "dist"));
const require = createRequire(import.meta.url);
const load = (file) => require(join(dist, file));
const { parseForm } = load("emulator/core/query/form.js");
const { authenticate } = load("emulator/core/auth/index.js");
const { AccountDirectory, DEFAULT_ACCOUNTS } = load("emulator/core/accounts.js");
const { serializeResult } = load("emulator/importexport/wire.js");

const account = DEFAULT_ACCOUNTS[0];
const host = "127.0.0.1:8080";
// A SigV2 GetStatus body as the AWS SDK for JavaScript v2 and this package's SDK send it (canonical order).
const body = signV2Body(`http://${host}`, account, { Action: "GetStatus", Version: "2010-06-01", JobId: "ABCDE" });
const accounts = new AccountDirectory(DEFAULT_ACCOUNTS);
const manifest = "manifestVersion: 2.0\ndeviceId: 49382\nbucket: alice-import\nreturnAddress:\n  name: Jane Roe\n  street1: 123 Any Street\n  city: Anytown\n  stateOrProvince: WA\n  postalCode: 91011\n  phoneNumber: 206-555-1111\n  country: USA\n";
const output = {
  JobId: "ABCDE", JobType: "Import", LocationCode: "NotReceived", LocationMessage: "The specified job has not been received.", ProgressCode: "Pending",
  ProgressMessage: "The specified job has not started.", ErrorCount: 0, Signature: "abcdefghijklmnopqrstuvwxyz012345",
  SignatureFileContents: "version:2.0\nsigningMethod:HmacSHA1\njobId:ABCDE\nsignature:abcdefghijklmnopqrstuvwxyz012345\n", CurrentManifest: manifest, CreationDate: new Date(),
  ArtifactList: [{ Description: "Shipping instructions and job barcode (PDF)", URL: `http://${host}/_emulator/artifacts/ABCDE/shipping-instructions.pdf` }],
  AwsShippingAddress: "AWS Import/Export\nJOBID ABCDE\n12345 Somewhere Rd\nCity, WA 98000",
};
const requestId = "0b2cf0a4-4e36-4ec0-9d3c-8a9d2d1a5a77";
const time = new Date().toISOString();

/** Best µs per call of `fn` over 60 batches of 1,000 calls, after 20,000 warm-up calls. */
function best(fn) {
  for (let i = 0; i < 20_000; i++) fn();
  let min = Infinity;
  for (let b = 0; b < 60; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 1_000; i++) fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return min;
}

const parsed = parseForm(body, "request body");
const noQuery = new Map();
const steps = [
  ["parse: parseForm of the SigV2 body", () => parseForm(body, "request body")],
  ["auth: SigV2 verification", () => authenticate({ method: "POST", host, path: "/", rawQuery: "", query: noQuery, body: parsed, headers: {}, rawBody: Buffer.from(body), bodyText: body }, { accounts, now: Date.now(), verifySignatures: true, sigV4Services: [] })],
  ["serialize: GetStatus XML", () => serializeResult("GetStatus", output, requestId)],
  ["log: the JSON log line", () => `{"time":"${time}",${JSON.stringify({ level: "info", msg: "request", requestId, action: "GetStatus", status: 200, ms: 0, sigv: 2, account: account.accountId }).slice(1)}\n`],
];
console.log(`# emulator hot path, ${dist} (node ${process.version}): best of 60 batches of 1,000 calls`);
for (const [name, fn] of steps) console.log(`${name.padEnd(40)} ${best(fn).toFixed(2).padStart(6)} µs`);
