/**
 * A `--data-dir` whose `jobs.journal` already holds many Import/Export jobs (whole records, as CreateJob stores
 * them), so a test of thousands of jobs costs no API calls. Each job has its own signature, shaped like the service's
 * (base64 of an HMAC-SHA1: 27 characters and `=`).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ALPHABET = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ";

/** The i-th JobId of a deterministic sequence (distinct for i < 34^5). */
export function journalJobId(i: number): string {
  let id = "";
  for (let k = 0, n = i; k < 5; k++, n = Math.floor(n / ALPHABET.length)) id += ALPHABET[n % ALPHABET.length];
  return id;
}

/** The signature of the i-th job. */
export function journalSignature(i: number): string {
  return createHash("sha1").update(`job ${i}`).digest("base64");
}

/** One job of the journal: which account owns it, and text to put into its manifest's return address name. */
export interface JournalJob {
  accountId: string;
  bucket: string;
  /** The return address name (default "Jane Roe"); a test pastes secrets here. */
  name?: string;
}

/** A fresh data dir holding `jobs` (job i is created i seconds after job 0; the last is the newest). */
export function journalDir(jobs: readonly JournalJob[]): string {
  const dir = mkdtempSync(join(tmpdir(), "ie-journal-"));
  const t0 = Date.now() - jobs.length * 1000;
  const lines = jobs.map((j, i) => {
    const at = t0 + i * 1000;
    const manifest = `manifestVersion: 2.0\ndeviceId: ${i}\nbucket: ${j.bucket}\nreturnAddress:\n  name: ${j.name ?? "Jane Roe"}\n  street1: 123 Any Street\n  city: Anytown\n  stateOrProvince: WA\n  postalCode: 91011\n  phoneNumber: 206-555-1111\n  country: USA\n`;
    const job = {
      jobId: journalJobId(i), accountId: j.accountId, jobType: "Import", createdAt: at, sequence: i + 1, transitionedAt: at, manifest,
      locationCode: "NotReceived", progressCode: "Pending", isCanceled: false, errorCount: 0, signature: journalSignature(i), region: "us-east-1",
      manifestLogBucket: j.bucket, history: [{ at, cause: "CreateJob", locationCode: "NotReceived", progressCode: "Pending" }],
    };
    return JSON.stringify({ v: 1, op: "put", job });
  });
  writeFileSync(join(dir, "jobs.journal"), lines.length > 0 ? `${lines.join("\n")}\n` : "");
  return dir;
}
