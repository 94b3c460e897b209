/**
 * Test helper: an AWS shared-config profile whose credentials come from a real `credential_process` (a small Node
 * script), as SSO helpers and vault tools provide them. Until `firstLifetimeMs` after its first run it returns
 * `first`, expiring then (inside the SDK's 5-minute refresh margin from the start, so every fetch asks again);
 * after that `then`, valid for an hour. A fetch therefore gets `first` until it has really expired and `then`
 * afterwards, whichever layer of caching asks. Each run is counted in a file.
 *
 * Use it through the environment: `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE` and the profile name (and no
 * `AWS_ACCESS_KEY_ID` in the environment, which the default chain would prefer).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Keys a credential source hands out. */
export interface Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A profile backed by a counting credential_process. */
export interface CredentialProcessProfile {
  /** The profile name in the config file. */
  readonly profile: string;
  /** Environment that points the AWS default chain at the files (and at nothing else). */
  readonly env: Record<string, string>;
  /** How many times the process has run so far. */
  invocations(): number;
  /** Removes the files. */
  cleanup(): void;
}

/** Writes the config, credentials and script files for a rotating credential_process profile. */
export function credentialProcessProfile(first: Keys, then: Keys, firstLifetimeMs: number): CredentialProcessProfile {
  const dir = mkdtempSync(join(tmpdir(), "ie-credproc-"));
  const counter = join(dir, "state.json");
  writeFileSync(counter, JSON.stringify({ n: 0, until: 0 }));
  const script = join(dir, "credential-process.js");
  writeFileSync(
    script,
    `const fs = require("node:fs");
// One state file, replaced by a rename: a reader (another run, or the test) sees the old or the new state, never
// the empty file that writeFileSync's truncate-then-write shows for a moment.
let state = { n: 0, until: 0 };
try { state = JSON.parse(fs.readFileSync(${JSON.stringify(counter)}, "utf8")); } catch {}
const n = state.n + 1;
const until = n === 1 ? Date.now() + ${firstLifetimeMs} : state.until;
const tmp = ${JSON.stringify(counter)} + "." + process.pid;
fs.writeFileSync(tmp, JSON.stringify({ n, until }));
fs.renameSync(tmp, ${JSON.stringify(counter)});
const early = Date.now() < until;
const keys = early ? ${JSON.stringify(first)} : ${JSON.stringify(then)};
const expiration = new Date(early ? until : Date.now() + 3600000).toISOString();
process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: keys.accessKeyId, SecretAccessKey: keys.secretAccessKey, Expiration: expiration }));
`,
  );
  const profile = "rotating";
  const config = join(dir, "config");
  writeFileSync(config, `[profile ${profile}]\ncredential_process = "${process.execPath}" "${script}"\n`);
  const credentials = join(dir, "credentials");
  writeFileSync(credentials, "");
  return {
    profile,
    env: { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_EC2_METADATA_DISABLED: "true" },
    invocations: () => (JSON.parse(readFileSync(counter, "utf8")) as { n: number }).n,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
