/**
 * Helpers the emulator benchmarks share: flag parsing, starting a server process and reading its first stdout line,
 * a process's CPU time from /proc, the API calls an emulator served (its admin stats), and SigV4/SigV2 request signing
 * (done once, outside the measured loop).
 */
import { spawn } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);

/** `--name value` / `--flag` pairs of argv as an object of strings ("true" for a bare flag). */
export function parseArgs(argv) {
  return Object.fromEntries(
    argv.reduce((acc, a, i, all) => {
      if (!a.startsWith("--")) return acc;
      const next = all[i + 1];
      return [...acc, [a.slice(2), next === undefined || next.startsWith("--") ? "true" : next]];
    }, []),
  );
}

/**
 * Starts `node ...argv` (on CPU 1 with `pinned`, Linux taskset) and resolves with the child and its first stdout
 * line parsed as JSON, plus how long that line took to arrive (start-up time).
 */
export function startProcess(argv, pinned = false) {
  const stdio = ["ignore", "pipe", process.env.BENCH_STDERR ? "inherit" : "ignore"];
  const t0 = performance.now();
  const child = pinned ? spawn("taskset", ["-c", "1", process.execPath, ...argv], { stdio }) : spawn(process.execPath, argv, { stdio });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", (line) => resolve({ child, info: JSON.parse(line), startMs: performance.now() - t0 }));
    child.once("exit", (code) => reject(new Error(`${argv.join(" ")} exited with ${code}`)));
  });
}

/** CPU seconds (user + system) a process has used so far (Linux /proc; undefined elsewhere). */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

/** The API calls the emulator served while `fn` ran, by action (its admin stats), and what `fn` returned. */
export async function countingCalls(endpoint, fn) {
  const stats = async () => (await (await fetch(`${endpoint}/_emulator/stats`)).json()).byAction;
  const before = await stats();
  const result = await fn();
  const after = await stats();
  const calls = {};
  for (const [action, count] of Object.entries(after)) if (count - (before[action] ?? 0) > 0) calls[action] = count - (before[action] ?? 0);
  return { calls, result };
}

/** `{ CreateJob: 200, GetStatus: 100 }` over `n` resources as "CreateJob 2, GetStatus 1". */
export function perEach(calls, n) {
  const parts = Object.entries(calls).map(([action, count]) => `${action} ${Number((count / n).toFixed(2))}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

class NodeSha256 {
  constructor(secret) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", secret);
  }
  update(data) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

/** Headers of a SigV4-signed Import/Export POST of `body` (smithy's signer, as the AWS SDK v3 signs). */
export async function signV4(endpoint, account, body) {
  const { SignatureV4 } = require("@smithy/signature-v4");
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: account, region: "us-east-1", service: "IngestionService", sha256: NodeSha256 });
  const headers = { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
  const signed = await signer.sign({ method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/", query: {}, headers, body });
  const out = { ...signed.headers };
  delete out.host;
  return out;
}

/**
 * A SigV2-signed POST body for `params` (HmacSHA256, Timestamp now): the parameters plus AWSAccessKeyId, Signature*,
 * signed over the lower-cased host:port as the AWS SDK v2 and the AWS CLI v1 do.
 */
export function signV2Body(endpoint, account, params) {
  const url = new URL(endpoint);
  const all = { ...params, AWSAccessKeyId: account.accessKeyId, SignatureMethod: "HmacSHA256", SignatureVersion: "2", Timestamp: new Date().toISOString() };
  const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = Object.keys(all).sort().map((k) => `${enc(k)}=${enc(all[k])}`).join("&");
  const signature = createHmac("sha256", account.secretAccessKey).update(`POST\n${url.host.toLowerCase()}\n/\n${query}`).digest("base64");
  return `${query}&Signature=${enc(signature)}`;
}

/** The median of a list of numbers. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Headers of a SigV4-signed IoT (rest-json, signing name `iot`) GET of `path` with `query` (an object of strings). */
export async function signIotGet(endpoint, account, path, query) {
  const { SignatureV4 } = require("@smithy/signature-v4");
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: account, region: "us-east-1", service: "iot", sha256: NodeSha256 });
  const signed = await signer.sign({ method: "GET", protocol: "http:", hostname: url.hostname, port: Number(url.port), path, query, headers: { host: url.host } });
  const out = { ...signed.headers };
  delete out.host;
  return out;
}
