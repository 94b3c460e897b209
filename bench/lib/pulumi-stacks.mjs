// The scaffolding the Pulumi benchmarks share (bench/provider-preview.mjs, bench/native-preview.mjs): the Pulumi CLI,
// a fixture program in an isolated stack, CPU time of the processes the CLI ran, alternating rounds, per-process
// CPU profiles and the emulator's count of API calls. Each benchmark keeps only what it measures.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

/** The repository's root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(join(root, "package.json"));
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");

/** The value after `--name` on the command line, or undefined. */
export function argValue(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** The Pulumi CLI scripts/pulumi-cli provides (built once, cached): its bin directory, the automation command, its version. */
export async function pulumiCli() {
  const binDir = execFileSync(join(root, "scripts", "pulumi-cli"), [], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim().split("\n").pop();
  const command = await PulumiCommand.get({ root: dirname(binDir) });
  const version = execFileSync(join(binDir, "pulumi"), ["version"], { encoding: "utf8" }).trim();
  return { binDir, command, version };
}

/**
 * A stack `bench` of the fixture program test/engine/fixtures/<fixture> (its project is named after the directory)
 * in an isolated workspace under `base` (file backend, own PULUMI_HOME), as test/engine/harness.ts makes them.
 * `tarball`: the package installed into the program as `npm pack` lays it out (scripts/install-packed.mjs).
 * `pluginDir`: the directory Pulumi.yaml's `plugins: providers: path` names (the native plugin's bin directory).
 * Returns the automation stack and the path of its state file.
 */
export async function fixtureStack({ base, fixture, n, config, command, tarball, pluginDir, env = {} }) {
  const dir = join(base, `${fixture}-${n}`);
  const workDir = join(dir, "program");
  mkdirSync(join(dir, "backend"), { recursive: true });
  mkdirSync(join(dir, "home"), { recursive: true });
  cpSync(join(root, "test", "engine", "fixtures", fixture), workDir, { recursive: true });
  if (tarball) {
    const { installPacked } = await import(join(root, "scripts", "install-packed.mjs"));
    installPacked(workDir, tarball);
  }
  if (pluginDir) {
    const yaml = join(workDir, "Pulumi.yaml");
    writeFileSync(yaml, readFileSync(yaml, "utf8").replace(/path: \S+/, `path: ${pluginDir}`));
  }
  const envVars = {
    PULUMI_BACKEND_URL: `file://${join(dir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: join(dir, "home"),
    // The AWS SDK's Node-version notice once per provider process is noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...env,
  };
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: "bench", workDir }, { workDir, pulumiHome: join(dir, "home"), envVars, pulumiCommand: command });
  await stack.setAllConfig(config);
  return { stack, stateFile: join(dir, "backend", ".pulumi", "stacks", fixture, "bench.json") };
}

/**
 * The stack config of a job fixture (`<fixture>:count` jobs) against the emulator at `endpoint` with `account`'s
 * keys, the secret key as a secret.
 */
export function jobsConfig(fixture, n, endpoint, account) {
  return {
    [`${fixture}:count`]: { value: String(n) },
    "importexport:endpoint": { value: endpoint },
    "importexport:accessKeyId": { value: account.accessKeyId },
    "importexport:secretAccessKey": { value: account.secretAccessKey, secret: true },
  };
}

/** The baseline: `n` no-op dynamic resources (fixtures/provider-noop) exporting four stack outputs each, as the job programs do. */
export async function noopStack({ base, n, command, padBytes = 0, outputs, calls }) {
  const config = { "provider-noop:count": { value: String(n) }, "provider-noop:exports": { value: "true" } };
  // padBytes: each resource's state padded by that many bytes (an output), to compare at equal state size.
  if (padBytes > 0) config["provider-noop:padBytes"] = { value: String(padBytes) };
  // outputs: every resource's create returns these outputs too (`signing` secret), to compare at an equal shape of state.
  const env = outputs !== undefined ? { BENCH_NOOP_OUTPUTS: JSON.stringify(outputs) } : {};
  // calls (with outputs): a URL every create also POSTs to twice, as a job's create calls CreateJob and GetStatus.
  if (calls !== undefined) {
    if (outputs === undefined) throw new Error("noopStack: calls needs outputs (the shaped no-op makes them)");
    env.BENCH_NOOP_CALLS = calls;
  }
  const dir = padBytes > 0 ? join(base, "padded") : calls !== undefined ? join(base, "calling") : outputs !== undefined ? join(base, "shaped") : base;
  const made = await fixtureStack({ base: dir, fixture: "provider-noop", n, command, config, env });
  if (outputs !== undefined) {
    // The fixture takes its provider from this package then, so that Pulumi stores a require() of it, as it stores
    // ImportExportJob's (installed from `npm pack`), rather than its text by value.
    const pkg = join(made.stack.workspace.workDir, "node_modules", "provider-noop-shaped");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "provider-noop-shaped", private: true, main: "index.js" }));
    cpSync(join(made.stack.workspace.workDir, "shaped-provider.js"), join(pkg, "index.js"));
    cpSync(join(made.stack.workspace.workDir, "noop-provider.js"), join(pkg, "noop-provider.js"));
  }
  return made;
}

/** CPU ms of this process's reaped children (utime + stime of waited-for descendants; /proc reports USER_HZ = 100). */
export function childrenCpuMs() {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/**
 * What a process the Pulumi CLI ran is, by its command line: the resource provider (the dynamic-provider host or the
 * native plugin), the program (the Node language host's `cmd/run`), or the engine (the CLI and its Go plugins).
 */
function processKind(cmdline) {
  if (cmdline.includes("dynamic-provider") || cmdline.includes("pulumi-resource-importexport")) return "provider";
  if (cmdline.includes("cmd/run")) return "program";
  return "engine";
}

/**
 * Samples, every `everyMs`, the CPU of each descendant of this process (from /proc, USER_HZ = 100) while it runs;
 * `stop()` returns the CPU ms by process kind ({@link processKind}). A process's last `everyMs` before it exits are
 * not seen (at most 25 ms of a process that runs for seconds), so these are for comparing kinds, not totals.
 */
function processSampler(everyMs = 25) {
  const last = new Map();
  const sample = () => {
    const parent = new Map();
    const cpu = new Map();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        parent.set(Number(entry), Number(fields[1]));
        cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * 10);
      } catch {
        /* gone meanwhile */
      }
    }
    for (const [pid, ms] of cpu) {
      let p = parent.get(pid);
      while (p !== undefined && p > 1 && p !== process.pid) p = parent.get(p);
      if (p !== process.pid) continue;
      let kind = last.get(pid)?.kind;
      if (kind === undefined) {
        try {
          kind = processKind(readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " "));
        } catch {
          continue;
        }
      }
      last.set(pid, { kind, ms });
    }
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const byKind = { engine: 0, program: 0, provider: 0 };
      for (const { kind, ms } of last.values()) byKind[kind] += ms;
      return byKind;
    },
  };
}

/**
 * Runs `fn`; its wall ms, the CPU ms of the processes it ran (the Pulumi CLI and everything the CLI started), and
 * that CPU by kind of process as sampled meanwhile (`byKind`: engine, program, provider).
 */
export async function measured(fn) {
  const c0 = childrenCpuMs();
  const sampler = processSampler();
  const t0 = performance.now();
  let byKind;
  try {
    await fn();
  } finally {
    byKind = sampler.stop();
  }
  return { ms: performance.now() - t0, cpu: childrenCpuMs() - c0, byKind };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The medians of several {@link measured} runs: wall, CPU and CPU by kind of process. */
export function medians(runs) {
  const byKind = Object.fromEntries(Object.keys(runs[0].byKind).map((k) => [k, median(runs.map((r) => r.byKind[k]))]));
  return { ms: median(runs.map((r) => r.ms)), cpu: median(runs.map((r) => r.cpu)), byKind };
}

/** CPU by kind of process ({@link measured}'s `byKind`), as one line. */
export const cpuByKind = (k) => `engine ${sec(k.engine)}, program ${sec(k.program)}, provider ${sec(k.provider)}`;
export const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
export const perResource = (ms, n) => `${(ms / n).toFixed(1)} ms`;

/**
 * `rounds` rounds of `operation` on each stack in turn (so drift of a shared machine hits all of them alike); the
 * medians of each stack's wall and CPU times, and of its CPU by kind of process (`byKind`), by label.
 */
export async function alternating(stacks, rounds, operation) {
  const runs = Object.fromEntries(Object.keys(stacks).map((label) => [label, []]));
  for (let i = 0; i < rounds; i++) {
    for (const [label, stack] of Object.entries(stacks)) runs[label].push(await measured(() => operation(stack)));
  }
  return Object.fromEntries(Object.entries(runs).map(([label, r]) => [label, { ...medians(r), runs: r }]));
}

/**
 * The median of the rounds' ratios `a[i][key] ÷ b[i][key]` ({@link measured} runs, `key` "ms" or "cpu"). The rounds
 * alternate the stacks, so each ratio pairs runs made under the same load; the ratio of the two medians could pair a
 * lucky round of one with an unlucky round of the other (one `npm run bench` read an `up` at 1.02× that way, its
 * rounds 0.97–1.17×, their median 1.11×).
 */
function pairedRatio(a, b, key) {
  return median(ratiosByRound(a, b, key));
}

/** {@link pairedRatio} of wall time and of CPU time: `{ wall, cpu }`. */
export const pairedRatios = (a, b) => ({ wall: pairedRatio(a, b, "ms"), cpu: pairedRatio(a, b, "cpu") });

/** `a[i][key] ÷ b[i][key]` for each round `i`, in order. */
const ratiosByRound = (a, b, key) => a.map((x, i) => x[key] / b[i][key]);

/** Each round's wall ratio `a[i] ÷ b[i]`, in order, and their middle half (interquartile range), as one line. */
export function roundRatios(a, b) {
  const r = ratiosByRound(a, b, "ms");
  const sorted = [...r].sort((x, y) => x - y);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
  return `${r.map((x) => x.toFixed(2)).join(" ")}; middle half ${at(0.25).toFixed(2)}–${at(0.75).toFixed(2)}`;
}

/**
 * Runs `operation` on `stack` with bench/cpu-profile-hook.cjs preloaded into its Node processes; returns the CPU ms of
 * each kind of process (program, provider, plugin) and leaves their profiles in `dir`.
 */
export async function profiledRun(stack, dir, operation) {
  mkdirSync(dir, { recursive: true });
  const env = stack.workspace.envVars;
  env.NODE_OPTIONS = `-r ${join(root, "bench", "cpu-profile-hook.cjs")}`;
  env.BENCH_PROFILE_DIR = dir;
  try {
    await operation(stack);
  } finally {
    delete env.NODE_OPTIONS;
    delete env.BENCH_PROFILE_DIR;
  }
  const procs = readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
  const cpu = {};
  for (const p of procs) cpu[p.kind] = (cpu[p.kind] ?? 0) + p.cpuMs;
  return cpu;
}

// The emulator's count of API calls lives with the emulator's other benchmark helpers; re-exported for these benchmarks.
export { countingCalls, perEach } from "../emulator-lib.mjs";
