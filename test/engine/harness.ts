/**
 * Engine test harness: the real Pulumi CLI (v3.248.0, built from Go modules by scripts/pulumi-cli), a local
 * program copied from a fixture directory, and a workspace isolated from the machine and from other tests.
 *
 * Each workspace gets its own PULUMI_HOME, a file:// backend and a passphrase secrets provider, with update checks
 * and plugin downloads off: nothing leaves the machine. Programs are copied into `.tmp/engine/<id>/program` INSIDE
 * the repo so that Node resolves `@pulumi/pulumi` and `pulumi-importexport` (linked by scripts/setup.mjs) from the
 * repo's node_modules, exactly as a user's program resolves them from its own.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll } from "vitest";
import {
  LocalWorkspace,
  PulumiCommand,
  type ConfigMap,
  type EngineEvent,
  type OpType,
  type Stack,
} from "@pulumi/pulumi/automation";
import type { EmulatorOptions } from "../../emulator";
import { withEmulator, type TestEmulator } from "../helpers/emulator";
import { explainFailure } from "../helpers/failure-cause";
import { describeProcesses, killLeftovers } from "../helpers/leftovers";

/** The repository root. */
export const repoRoot = resolve(__dirname, "..", "..");

let binDirCache: string | undefined;

/** Directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs` (builds them if needed). */
export function pulumiBinDir(): string {
  if (binDirCache) return binDirCache;
  const out = execFileSync(join(repoRoot, "scripts", "pulumi-cli"), [], {
    cwd: repoRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, PULUMI_IMPORTEXPORT_IGNORE_PATH_CLI: process.env["PULUMI_IMPORTEXPORT_IGNORE_PATH_CLI"] ?? "1" },
  });
  const dir = out.trim().split("\n").pop();
  if (!dir || !existsSync(join(dir, "pulumi"))) throw new Error(`scripts/pulumi-cli printed no usable directory: ${out}`);
  binDirCache = dir;
  return dir;
}

/** The Automation API's handle on our CLI build. */
export async function pulumiCommand(): Promise<PulumiCommand> {
  // PulumiCommand.get runs `<root>/bin/pulumi`; our directory is always a `bin` directory.
  return PulumiCommand.get({ root: dirname(pulumiBinDir()) });
}

/** Options for {@link createProgramStack}. */
export interface ProgramStackOptions {
  /** Fixture directory with Pulumi.yaml (absolute, or relative to the repo root). */
  readonly fixture: string;
  /** Stack name (default `test`). */
  readonly stackName?: string;
  /** Stack config (`key` → value or `{ value, secret }`), namespaced keys like `importexport:endpoint`. */
  readonly config?: ConfigMap;
  /** Extra environment for the CLI and everything it starts (language host, provider). */
  readonly env?: Record<string, string>;
  /** Reuse the program directory and backend of an earlier workspace (a second stack of the same program). */
  readonly shareWith?: ProgramStack;
}

/** A provider's config namespace: the Import/Export side's or the IoT side's. */
export type ProviderNamespace = "importexport" | "importexport-iot";

/** Stack config giving one provider an account's keys (the secret key as a secret). */
export function accountConfig(namespace: ProviderNamespace, account: { readonly accessKeyId: string; readonly secretAccessKey: string }): ConfigMap {
  return {
    [`${namespace}:accessKeyId`]: { value: account.accessKeyId },
    [`${namespace}:secretAccessKey`]: { value: account.secretAccessKey, secret: true },
  };
}

/** Stack config pointing one provider at an emulator: its endpoint and an account's keys. */
export function emulatorConfig(namespace: ProviderNamespace, endpoint: string, account: { readonly accessKeyId: string; readonly secretAccessKey: string }): ConfigMap {
  return { [`${namespace}:endpoint`]: { value: endpoint }, ...accountConfig(namespace, account) };
}

/** Events of one operation, grouped for assertions. */
export interface OperationEvents {
  /** All engine events in order. */
  readonly all: EngineEvent[];
  /** `resourcePreEvent` ops per resource URN, in order (e.g. `["create-replacement", "replace", "delete-replaced"]`). */
  readonly opsByUrn: Map<string, OpType[]>;
}

/** A stack of a local program in an isolated workspace. */
export interface ProgramStack {
  readonly stack: Stack;
  /** The copied program directory. */
  readonly workDir: string;
  /** The file:// backend directory. */
  readonly backendDir: string;
  /** Isolated PULUMI_HOME. */
  readonly pulumiHome: string;
  /** The environment given to the CLI. */
  readonly env: Record<string, string>;
  /** Ops per URN for resources whose URN ends with `::name`. */
  opsFor(events: OperationEvents, name: string): OpType[];
  /** `pulumi preview`, with events. */
  preview(): Promise<{ changeSummary: Record<string, number>; events: OperationEvents; stdout: string }>;
  /** `pulumi up`, with events. */
  up(): Promise<{ changes: Record<string, number>; outputs: Record<string, unknown>; events: OperationEvents; stdout: string }>;
  /** `pulumi refresh`, with events. */
  refresh(): Promise<{ changes: Record<string, number>; events: OperationEvents; stdout: string }>;
  /** `pulumi destroy`, with events. */
  destroy(): Promise<{ changes: Record<string, number>; events: OperationEvents; stdout: string }>;
  /** The raw text of the stack's state file in the backend. */
  stateText(): string;
  /** Removes the workspace directory (program copy, backend, PULUMI_HOME). */
  cleanup(): void;
}

function collector(): { onEvent: (e: EngineEvent) => void; events: OperationEvents } {
  const all: EngineEvent[] = [];
  const opsByUrn = new Map<string, OpType[]>();
  return {
    events: { all, opsByUrn },
    onEvent(e) {
      all.push(e);
      const meta = e.resourcePreEvent?.metadata;
      if (meta) opsByUrn.set(meta.urn, [...(opsByUrn.get(meta.urn) ?? []), meta.op]);
    },
  };
}

/**
 * Runs one Pulumi operation; when it fails, the error's message starts with what may have caused it when the cause
 * is the machine rather than the code (port exhaustion, refused connections, timeouts, load: ../helpers/failure-cause),
 * so a failure under load says so in the test output. The error itself (a CommandError) is kept, message extended.
 */
async function explained<T>(operation: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } catch (e) {
    if (e instanceof Error) {
      const why = explainFailure(e.message, { loadavg: loadavg(), cores: cpus().length, elapsedMs: performance.now() - started });
      e.message = `pulumi ${operation} failed.\n${why}\n\n${e.message}`;
    }
    throw e;
  }
}

/** Copies a fixture program into the repo's `.tmp/engine/` and opens a stack of it on an isolated backend. */
export async function createProgramStack(options: ProgramStackOptions): Promise<ProgramStack> {
  const stackName = options.stackName ?? "test";
  let base: string;
  let workDir: string;
  if (options.shareWith) {
    workDir = options.shareWith.workDir;
    base = dirname(workDir);
  } else {
    base = join(repoRoot, ".tmp", "engine", randomUUID().slice(0, 8));
    workDir = join(base, "program");
    mkdirSync(base, { recursive: true });
    cpSync(resolve(repoRoot, options.fixture), workDir, { recursive: true });
  }
  const backendDir = join(base, "backend");
  const pulumiHome = join(base, "home");
  mkdirSync(backendDir, { recursive: true });
  mkdirSync(pulumiHome, { recursive: true });
  const env: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "engine-test-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: pulumiHome,
    // The language host type-checks nothing here (programs are CommonJS JavaScript), keep it quiet and fast.
    PULUMI_SKIP_CONFIRMATIONS: "true",
    ...options.env,
  };
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, workDir },
    { workDir, pulumiHome, envVars: env, pulumiCommand: await pulumiCommand() },
  );
  if (options.config) await stack.setAllConfig(options.config);

  const project = /^name:\s*(\S+)/m.exec(readFileSync(join(workDir, "Pulumi.yaml"), "utf8"))?.[1] ?? "";
  return {
    stack,
    workDir,
    backendDir,
    pulumiHome,
    env,
    opsFor(events, name) {
      for (const [urn, ops] of events.opsByUrn) if (urn.endsWith(`::${name}`)) return ops;
      return [];
    },
    async preview() {
      const c = collector();
      const r = await explained("preview", () => stack.preview({ onEvent: c.onEvent, color: "never" }));
      return { changeSummary: { ...r.changeSummary } as Record<string, number>, events: c.events, stdout: r.stdout };
    },
    async up() {
      const c = collector();
      const r = await explained("up", () => stack.up({ onEvent: c.onEvent, color: "never" }));
      const outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.value]));
      return { changes: { ...r.summary.resourceChanges } as Record<string, number>, outputs, events: c.events, stdout: r.stdout };
    },
    async refresh() {
      const c = collector();
      const r = await explained("refresh", () => stack.refresh({ onEvent: c.onEvent, color: "never" }));
      return { changes: { ...r.summary.resourceChanges } as Record<string, number>, events: c.events, stdout: r.stdout };
    },
    async destroy() {
      const c = collector();
      const r = await explained("destroy", () => stack.destroy({ onEvent: c.onEvent, color: "never" }));
      return { changes: { ...r.summary.resourceChanges } as Record<string, number>, events: c.events, stdout: r.stdout };
    },
    stateText() {
      const dir = join(backendDir, ".pulumi", "stacks", project);
      const file = readdirSync(dir).find((f) => f === `${stackName}.json`);
      if (!file) throw new Error(`no state file for stack ${stackName} in ${dir}`);
      return readFileSync(join(dir, file), "utf8");
    },
    cleanup() {
      // The CLI starts its language host and providers in process groups of their own; a run that was abandoned (a
      // test timeout) or killed leaves them running after the program folder is gone. Kill whatever still points
      // into this workspace, and say so: the global teardown fails the run for any that escape (test/global-setup.ts).
      const left = killLeftovers({ roots: [`${base}/`] });
      if (left.length > 0) console.warn(`engine workspace ${base}: killed ${left.length} process(es) still running at cleanup:\n${describeProcesses(left)}`);
      if (!options.shareWith) rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * For a describe block whose tests make stacks as they go: a test emulator started before them, `stack(options)`
 * ({@link createProgramStack}, kept for clean-up), and after the block every stack cleaned up and the emulator closed.
 */
export function withEmulatorStacks(emulatorOptions: EmulatorOptions = {}): { emu: () => TestEmulator; stack: (options: ProgramStackOptions) => Promise<ProgramStack> } {
  const emu = withEmulator(emulatorOptions);
  const stacks: ProgramStack[] = [];
  afterAll(() => {
    for (const s of stacks) s.cleanup();
  });
  return {
    emu,
    stack: async (options) => {
      const ws = await createProgramStack(options);
      stacks.push(ws);
      return ws;
    },
  };
}
