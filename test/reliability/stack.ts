/**
 * A reliability run of the provider-jobs program: an in-process emulator (journal in a temp data dir, every log line
 * kept), the wire-secret recorder, and a Pulumi stack of N jobs against it; plus the two accounting checks every
 * run ends with — the service's jobs against the state's (duplicates, orphans, lost) and the secrets sweep.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImportExportClient } from "../../sdk/client";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { createProgramStack, type ProgramStack } from "../engine/harness";
import { accountSecrets, filesUnder, sweepSecrets, WireSecretRecorder, type Finding, type Source } from "./secrets";

/** Type token of ImportExportJob resources in state. */
const JOB_TYPE = "pulumi-nodejs:dynamic/importexport:ImportExportJob";

/** An emulator for a reliability run, with its logs, journal directory and the secrets that crossed the wire. */
export interface RunEmulator {
  readonly emu: TestEmulator;
  readonly dataDir: string;
  readonly logs: string[];
  readonly wire: WireSecretRecorder;
  close(): Promise<void>;
}

/** Starts the emulator of a run (journal on disk, logs kept in memory). */
export async function startRunEmulator(): Promise<RunEmulator> {
  const dataDir = mkdtempSync(join(tmpdir(), "ie-rel-data-"));
  const logs: string[] = [];
  const wire = new WireSecretRecorder();
  const emu = await startTestEmulator({ dataDir, logger: (e) => logs.push(JSON.stringify(e)) });
  return {
    emu,
    dataDir,
    logs,
    wire,
    async close() {
      wire.stop();
      await emu.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A stack of `count` Import jobs (fixture provider-jobs) against the run's emulator. */
export async function jobStack(run: RunEmulator, count: number, env: Record<string, string> = {}, stackName = "rel"): Promise<ProgramStack> {
  return createProgramStack({
    fixture: "test/engine/fixtures/provider-jobs",
    stackName,
    env,
    config: {
      "importexport:endpoint": { value: run.emu.endpoint },
      "importexport:accessKeyId": { value: run.emu.account.accessKeyId },
      "importexport:secretAccessKey": { value: run.emu.account.secretAccessKey, secret: true },
      "provider-jobs:count": { value: String(count) },
    },
  });
}

/** ImportExportJob ids in the stack's latest state (resources and pending creates with an id). */
export function stateJobIds(ws: ProgramStack): string[] {
  const latest = JSON.parse(ws.stateText()).checkpoint.latest as { resources?: Array<{ type: string; id?: string; urn: string }> };
  return (latest.resources ?? []).filter((r) => r.type === JOB_TYPE && r.id).map((r) => r.id as string);
}

/** The service's jobs against the state's: live jobs no state tracks (orphans), tracked twice, tracked but gone. */
export interface JobAccounting {
  readonly live: number;
  readonly tracked: number;
  readonly duplicates: number;
  readonly orphans: string[];
  readonly lost: string[];
}

/** Compares the emulator's live (not cancelled) jobs of the account with the ids in state. */
export async function accountJobs(run: RunEmulator, ws: ProgramStack): Promise<JobAccounting> {
  const ids = stateJobIds(ws);
  const live = (await run.emu.admin.jobs()).filter((j) => j.accountId === run.emu.account.accountId && !j.isCanceled).map((j) => j.jobId);
  const liveSet = new Set(live);
  const idSet = new Set(ids);
  return {
    live: live.length,
    tracked: ids.length,
    duplicates: ids.length - idSet.size,
    orphans: live.filter((id) => !idSet.has(id)),
    lost: ids.filter((id) => !liveSet.has(id)),
  };
}

/**
 * The secrets sweep of a run: `texts` (CLI output, errors, events) plus the stack's files (state and its history and
 * backups, Pulumi home, the program's stack config) and the emulator's logs and journal, against the accounts' keys,
 * the recorded request signatures and session tokens, and the device Signatures of `jobIds` (not in the journal,
 * which is the service's own record of them).
 */
export async function sweepRun(run: RunEmulator, stacks: readonly ProgramStack[], texts: readonly Source[], jobIds: readonly string[]): Promise<{ findings: Finding[]; sources: number; secrets: number }> {
  const client = new ImportExportClient({ endpoint: run.emu.endpoint, credentials: run.emu.account });
  const jobSignatures: string[] = [];
  try {
    for (const id of new Set(jobIds)) {
      const s = await client.getStatus({ JobId: id }).catch(() => undefined);
      if (s?.Signature) jobSignatures.push(s.Signature);
    }
  } finally {
    await client.destroy();
  }
  const base = [...accountSecrets(run.emu.accounts), ...run.wire.secrets()];
  const withJobs = [...base, ...jobSignatures.map((value) => ({ kind: "job signature" as const, value }))];
  const stackFiles = stacks.flatMap((ws) => [
    ...filesUnder(ws.backendDir, "backend"),
    ...filesUnder(ws.pulumiHome, "pulumi-home"),
    ...filesUnder(ws.workDir, "program").filter((s) => /Pulumi\..*\.yaml$/.test(s.name)),
  ]);
  const emulatorLog: Source = { name: "emulator log", text: run.logs.join("\n") };
  const journal = filesUnder(run.dataDir, "journal");
  const findings = [
    ...sweepSecrets([...texts, ...stackFiles, emulatorLog], withJobs),
    ...sweepSecrets(journal, base),
  ];
  return { findings, sources: texts.length + stackFiles.length + 1 + journal.length, secrets: withJobs.length };
}
