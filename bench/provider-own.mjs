#!/usr/bin/env node
/**
 * What a job's `up` costs that is this package's own work, without the engine, the program or the dynamic-provider
 * host around it: ImportExportJob's `check` + `create` of N jobs, 16 at a time (as `pulumi up --parallel 16` sends
 * them, each marked as registered in an update, provider/core/update-run), in this process, against an emulator in a
 * child process. `provider-preview.mjs` measures the whole `up`; there the engine's and the machine's noise (one
 * round of 100 jobs reads anywhere in 0.93–1.31× of the no-op) hides changes of a few percent, which this measures.
 *
 * Round 1 is what a provider process pays in an `up`: the first operation loads the SDK's client, undici,
 * fast-xml-parser and the STS client, and V8 runs everything cold. The later rounds are the same process warm.
 * Printed per round: this process's CPU and wall, the emulator's CPU (/proc), the API calls per job; the first
 * create's latency; and the cold round ÷ the median warm round (the baseline, measured in the same run).
 * A diagnostic, not part of `npm run bench` (no target). Needs `npm run build` first.
 *
 * Usage: node bench/provider-own.mjs [--jobs 100] [--rounds 5] [--dist OTHER/dist]
 *   --dist: another build's `dist` (e.g. a copy of main's) as the provider measured, for before/after figures; the
 *   emulator is always this build's.
 */
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { countingCalls, cpuSeconds, median, parseArgs, perEach, startProcess } from "./emulator-lib.mjs";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = parseArgs(process.argv.slice(2));
const JOBS = Number(args.jobs ?? 100);
const ROUNDS = Number(args.rounds ?? 5);
const PARALLEL = 16;
const DIST = args.dist === undefined ? join(root, "dist") : args.dist;
if (DIST === "true") throw new Error("--dist needs the path of another build's dist directory");

// The AWS SDK's Node-version notice, once per process, is noise here (the provider sets the same).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** The provider-jobs fixture's manifest of job `i` (test/engine/fixtures/provider-jobs), as an object. */
const manifest = (i) => ({
  manifestVersion: "2.0",
  deviceId: `DEVICE-${i}`,
  eraseDevice: true,
  bucket: "alice-import",
  returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode: "98101", phoneNumber: "206-555-1111", country: "USA" },
});

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const emulator = await startProcess([join(root, "dist/emulator/bin.js"), "--port", "0"]);
try {
  const { endpoint, accounts } = emulator.info;
  const [alice] = accounts;
  console.log(`# ImportExportJob check + create of ${JOBS} jobs, ${PARALLEL} at a time, in this process (${DIST}); the emulator in a child (node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")})`);

  const loadCpu = cpuMs();
  const t0 = performance.now();
  const runtime = require(join(DIST, "provider/importexport/runtime.js"));
  const config = new Map([["importexport:endpoint", endpoint], ["importexport:accessKeyId", alice.accessKeyId], ["importexport:secretAccessKey", alice.secretAccessKey]]);
  await runtime.configure({ config: { get: (k) => config.get(k) } });
  console.log(`loading the provider's runtime and configure: ${(performance.now() - t0).toFixed(0)} ms wall, ${(cpuMs() - loadCpu).toFixed(0)} ms CPU`);

  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const { calls, result: round } = await countingCalls(endpoint, async () => {
      const emuCpu = cpuSeconds(emulator.child.pid);
      const cpu = cpuMs();
      const start = performance.now();
      let firstMs;
      let next = 0;
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          while (next < JOBS) {
            const i = next++;
            const checked = await runtime.check({}, { jobType: "Import", manifest: manifest(i), __inUpdate: true });
            if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
            await runtime.create(checked.inputs);
            firstMs ??= performance.now() - start;
          }
        }),
      );
      return { wall: performance.now() - start, cpu: cpuMs() - cpu, emulatorCpu: (cpuSeconds(emulator.child.pid) - emuCpu) * 1000, firstMs };
    });
    rounds.push(round);
    console.log(
      `round ${r + 1}${r === 0 ? " (cold)" : ""}: ${round.wall.toFixed(0)} ms wall, ${round.cpu.toFixed(0)} ms CPU (${(round.cpu / JOBS).toFixed(2)} ms per job); ` +
        `first create done after ${round.firstMs.toFixed(0)} ms; emulator ${round.emulatorCpu.toFixed(0)} ms CPU; calls per job: ${perEach(calls, JOBS)}`,
    );
  }
  if (rounds.length > 1) {
    const warm = rounds.slice(1);
    const [wall, cpu, emu] = ["wall", "cpu", "emulatorCpu"].map((k) => median(warm.map((w) => w[k])));
    console.log(
      `cold ÷ warm (median of ${warm.length}): wall ${(rounds[0].wall / wall).toFixed(2)}×, CPU ${(rounds[0].cpu / cpu).toFixed(2)}×, emulator CPU ${(rounds[0].emulatorCpu / emu).toFixed(2)}×; ` +
        `warm: ${(cpu / JOBS).toFixed(2)} ms of CPU per job here, ${(emu / JOBS).toFixed(2)} ms in the emulator`,
    );
  }
  await runtime.resetForTests();
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
} finally {
  emulator.child.kill();
}
