/**
 * The create and update paths of a job, by the manifest parses and writes and the API calls they make. The YAML codec
 * is counted, not replaced: every call goes to the real one, against the emulator, which also counts the API calls.
 * - Update of a manifest edit (issue 20, item 3): `update` trusts the inputs the engine checked and builds UpdateJob's
 *   request from the parse check kept (./parsed-manifests): no parse after check (before: five, two of them for a
 *   request and a redaction that were thrown away).
 * - Check, then create (issue 25, item 2: `up` of 100 jobs ≤ 1.10× of 100 no-op resources): check writes the
 *   program's manifest object once, its parse coming with the write; the ValidateOnly call fills in the signing key
 *   (one write); create marks the manifest (one write) and fills in the signing key (one write), parsing nothing. A
 *   manifest of plain words is written without the YAML library (sdk/manifest/plain-text), so for this one only the
 *   redacted manifestYaml (`"[redacted]"` is quoted) goes through it: no YAML parse and one YAML write for the job
 *   (first four parses and five writes, each about a millisecond of a cold provider process; then one and four).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as runtime from "../../../provider/importexport/runtime";
import { CREATE_MARKER_PREFIX } from "../../../provider/importexport/create-marker";
import { forgetParsedManifests } from "../../../provider/importexport/parsed-manifests";
import { IN_UPDATE } from "../../../provider/core/update-run";
import { accountId } from "../../../provider/importexport/client";
import { ImportExportClient } from "../../../sdk/client";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { status as statusOf } from "../../helpers/job-state";

/** Parses (always through YAML), writes, and the writes that went through the YAML library. */
const codec = vi.hoisted(() => ({ parses: 0, writes: 0, yamlWrites: 0 }));
vi.mock("../../../sdk/manifest/codec", async (load) => {
  const real = await load<typeof import("../../../sdk/manifest/codec")>();
  // The provider's own calls only (and the redaction's it asks for): the emulator (in this process) parses and
  // writes what it receives and serves too.
  // A write came with its parse exactly when it did not go through the YAML library.
  const wrote = (w: { parsed?: unknown }): void => {
    codec.writes++;
    if (w.parsed === undefined) codec.yamlWrites++;
  };
  const fromProvider = (): boolean => /\/provider\/|\/sdk\/manifest\/redact/.test(new Error().stack?.split("\n")[3] ?? "");
  return {
    ...real,
    parseManifest: (...args: Parameters<typeof real.parseManifest>) => {
      if (fromProvider()) codec.parses++;
      return real.parseManifest(...args);
    },
    stringifyManifest: (m: Parameters<typeof real.stringifyManifest>[0]) => {
      const w = real.writtenManifest(m);
      if (fromProvider()) wrote(w);
      return w.text;
    },
    writtenManifest: (m: Parameters<typeof real.writtenManifest>[0]) => {
      const w = real.writtenManifest(m);
      if (fromProvider()) wrote(w);
      return w;
    },
  };
});

/** Counts from here on, with no parse kept from an earlier test. */
function countFromNow(): void {
  forgetParsedManifests();
  codec.parses = 0;
  codec.writes = 0;
  codec.yamlWrites = 0;
}

const manifest = (deviceId: string) => ({
  manifestVersion: "2.0",
  deviceId,
  eraseDevice: true,
  bucket: "alice-import",
  trueCryptPassword: "device-password-1",
  returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode: "98101", phoneNumber: "206-555-1111", country: "USA" },
});

let emu: TestEmulator;

/** The API calls `fn` made, by action (the emulator's stats). */
async function callsOf(fn: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = (await emu.admin.stats()).byAction;
  await fn();
  const after = (await emu.admin.stats()).byAction;
  return Object.fromEntries(Object.keys(after).map((a) => [a, (after[a] ?? 0) - (before[a] ?? 0)]).filter(([, n]) => n !== 0));
}

/** Configures the provider for the emulator's account; a new configuration drops the connection and the account read with it. */
async function configure(): Promise<void> {
  const values: Record<string, string> = {
    "importexport:endpoint": emu.endpoint,
    "importexport:accessKeyId": emu.account.accessKeyId,
    "importexport:secretAccessKey": emu.account.secretAccessKey,
  };
  await runtime.configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" } });
}

beforeAll(async () => {
  emu = await startTestEmulator();
  await configure();
});
afterAll(async () => {
  await runtime.resetForTests();
  await emu?.close();
});

describe("update of a manifest edit", () => {
  it("parses nothing: check writes the edited manifest with its parse; update sends it and shows it redacted", async () => {
    const first = await runtime.check({}, { jobType: "Import", manifest: manifest("A") });
    const created = await runtime.create(first.inputs);
    const olds = { ...created.outs } as Record<string, unknown>;

    countFromNow();
    const edited = await runtime.check(olds, { jobType: "Import", manifest: manifest("B") });
    expect(edited.failures ?? []).toEqual([]);
    expect(codec.parses).toBe(0);
    const r = await runtime.update(created.id, olds, edited.inputs);
    expect(codec.parses).toBe(0);
    const yaml = String(statusOf(r.outs)["manifestYaml"]);
    expect(yaml).toContain("deviceId: B");
    expect(yaml).toContain("trueCryptPassword: \"[redacted]\"");
    expect(yaml).not.toContain("device-password-1");
  });
});

describe("check, then create", () => {
  it("writes the manifest five times, one of them through YAML, and parses it never; CreateJob (ValidateOnly) in check, CreateJob and GetStatus in create", async () => {
    // The caller's account (STS) is read once per connection: a first job reads it, so the counts below are per job.
    await runtime.create((await runtime.check({}, { jobType: "Import", manifest: manifest("W") })).inputs);

    countFromNow();
    let created: Awaited<ReturnType<typeof runtime.create>> = { id: "" };
    const calls = await callsOf(async () => {
      const checked = await runtime.check({}, { jobType: "Import", manifest: manifest("A") });
      expect(checked.failures ?? []).toEqual([]);
      // The object written as canonical text (with its parse, for validation); the ValidateOnly request's signing key filled in.
      expect(codec).toEqual({ parses: 0, writes: 2, yamlWrites: 0 });
      created = await runtime.create(checked.inputs);
      // The create marker, the signing key, and the manifestYaml output with its device password redacted (quoted: YAML).
      expect(codec).toEqual({ parses: 0, writes: 5, yamlWrites: 1 });
    });
    expect(calls).toEqual({ CreateJob: 2, GetStatus: 1 });

    // What the service holds: the user's manifest with the create marker and the signing key filled in.
    const direct = new ImportExportClient({ endpoint: emu.endpoint, credentials: emu.account });
    const live = String((await direct.getStatus({ JobId: created.id })).CurrentManifest);
    await direct.destroy();
    expect(live).toContain(`generator: ${CREATE_MARKER_PREFIX}`);
    expect(live).toContain(`accessKeyId: ${emu.account.accessKeyId}`);
    // What the state shows: the same text, its device password redacted.
    const yaml = String(statusOf(created.outs)["manifestYaml"]);
    expect(yaml).toContain(`generator: ${CREATE_MARKER_PREFIX}`);
    expect(yaml).toContain(`accessKeyId: ${emu.account.accessKeyId}`);
    expect(yaml).toContain('trueCryptPassword: "[redacted]"');
    expect(yaml).not.toContain("device-password-1");
    expect(yaml.replace('"[redacted]"', "device-password-1")).toBe(live);
  });

  it("a manifest given as canonical YAML text is parsed once too; other text is parsed again where it is sent", async () => {
    const canonical = (await runtime.check({}, { jobType: "Import", manifest: manifest("T") })).inputs["manifest"] as string;
    countFromNow();
    const asText = await runtime.check({}, { jobType: "Import", manifest: canonical });
    expect(asText.inputs["manifest"]).toBe(canonical);
    await runtime.create(asText.inputs);
    expect(codec.parses).toBe(1);

    // The same manifest spelled otherwise: its canonical text is parsed where it is first sent (the ValidateOnly call).
    countFromNow();
    const respelled = await runtime.check({}, { jobType: "Import", manifest: `# the same job\n${canonical.replace("eraseDevice: yes", "eraseDevice: true")}` });
    expect(respelled.inputs["manifest"]).toBe(canonical);
    await runtime.create(respelled.inputs);
    expect(codec.parses).toBe(2);
  });
});

describe("the caller's account (STS), read once per connection", () => {
  it("is asked for while the first CreateJob is in flight, not after the job's GetStatus", async () => {
    // Against AWS each is a round trip: asked after GetStatus, it made the first create of every `up` a round trip
    // longer. CreateJob is held back here, so the order of arrival decides the test, not how fast anything runs.
    await configure();
    const checked = await runtime.check({}, { jobType: "Import", manifest: manifest("S"), [IN_UPDATE]: true });
    const before = (await emu.admin.stats()).byAction;
    const since = (now: Record<string, number>, action: string): number => (now[action] ?? 0) - (before[action] ?? 0);
    await emu.admin.setFaults([{ action: "CreateJob", kind: "latency", latencyMs: 3000, count: 1 }]);
    try {
      const creating = runtime.create(checked.inputs);
      let settled = false;
      void creating.then(() => (settled = true), () => (settled = true));
      let seen: Record<string, number> | undefined;
      while (seen === undefined && !settled) {
        const now = (await emu.admin.stats()).byAction;
        if (since(now, "GetCallerIdentity") > 0) seen = now;
        else await new Promise((r) => setTimeout(r, 5));
      }
      expect(seen, "GetCallerIdentity before the create ended").toBeDefined();
      expect(since(seen ?? {}, "CreateJob")).toBe(1);
      expect(since(seen ?? {}, "GetStatus")).toBe(0);
      const created = await creating;
      expect(statusOf(created.outs)["accountId"]).toBe(emu.account.accountId);
      expect(since((await emu.admin.stats()).byAction, "GetCallerIdentity")).toBe(1);
    } finally {
      await emu.admin.clearFaults();
    }
  });

  it("a CreateJob the service refuses is reported as it is, whatever STS answered", async () => {
    await configure();
    const bad = await runtime.check({}, { jobType: "Import", manifest: { ...manifest("Y"), bucket: "no-such-bucket" }, [IN_UPDATE]: true });
    await emu.admin.setFaults([{ action: "GetCallerIdentity", kind: "error", status: 403, code: "AccessDenied", message: "not allowed" }]);
    try {
      await expect(runtime.create(bad.inputs)).rejects.toThrow(/NoSuchBucketException/);
      // The account asked for beside it is then unknown (no accountId output), not an error of its own.
      expect(await accountId()).toBeUndefined();
    } finally {
      await emu.admin.clearFaults();
    }
  });
});

describe("check during an update (the program marks it: provider/core/update-run)", () => {
  it("a new job: no ValidateOnly call, the marker dropped; its CreateJob validates, so a bad bucket still creates nothing", async () => {
    let checked: Awaited<ReturnType<typeof runtime.check>> | undefined;
    expect(await callsOf(async () => (checked = await runtime.check({}, { jobType: "Import", manifest: manifest("U"), [IN_UPDATE]: true })))).toEqual({});
    expect(checked?.failures ?? []).toEqual([]);
    expect(Object.keys(checked?.inputs ?? {}).sort()).toEqual(["jobType", "manifest"]);

    // In a preview (no marker) the same check asks the service.
    expect(await callsOf(() => runtime.check({}, { jobType: "Import", manifest: manifest("P") }))).toEqual({ CreateJob: 1 });

    const bad = await runtime.check({}, { jobType: "Import", manifest: { ...manifest("X"), bucket: "no-such-bucket" }, [IN_UPDATE]: true });
    expect(bad.failures ?? []).toEqual([]);
    const jobsBefore = (await emu.admin.jobs()).length;
    await expect(runtime.create(bad.inputs)).rejects.toThrow(/NoSuchBucketException/);
    expect((await emu.admin.jobs()).length).toBe(jobsBefore);
  });

  it("a changed job: the service validates the change in check, also during an update", async () => {
    const created = await runtime.create((await runtime.check({}, { jobType: "Import", manifest: manifest("C") })).inputs);
    const olds = { ...created.outs } as Record<string, unknown>;
    let edited: Awaited<ReturnType<typeof runtime.check>> | undefined;
    const calls = await callsOf(async () => (edited = await runtime.check(olds, { jobType: "Import", manifest: { ...manifest("C"), bucket: "no-such-bucket" }, [IN_UPDATE]: true })));
    expect(calls).toEqual({ CreateJob: 1 });
    expect(edited?.failures?.map((f) => f.property)).toEqual(["manifest.bucket"]);
    expect(edited?.failures?.[0]?.reason).toContain("NoSuchBucketException");
  });
});
