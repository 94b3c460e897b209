/**
 * Engine-test helper for Pulumi YAML programs (issue 24): the real `pulumi` CLI with the YAML language host
 * (`pulumi-language-yaml`, which scripts/pulumi-cli puts beside `pulumi`) running a project the test writes, whose
 * resources the native plugin serves.
 *
 * Built on ./harness (isolated workspace, Automation API operations with the engine's own events) and
 * ./native-harness (the plugin directory). A YAML project is text, so a test writes it here as a user would and edits
 * it between steps with {@link YamlStack.edit}; each project names the plugin through
 * `plugins: providers: [{ name: importexport, path }]`, the discovery docs/native.md recommends.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigMap, EngineEvent } from "@pulumi/pulumi/automation";
import { requireYamlHost } from "../helpers/yaml-project";
import { createProgramStack, pulumiBinDir, repoRoot, type ProgramStack } from "./harness";
import { pluginDir } from "./native-harness";

/** Options for {@link createYamlStack}. */
export interface YamlStackOptions {
  /** The project's name (the `name:` of Pulumi.yaml, and the namespace of its own config keys). */
  readonly project: string;
  /** Pulumi.yaml after its `name`/`runtime`/`plugins` header: `config:`, `resources:`, `outputs:` as a user writes them. */
  readonly body: string;
  /** Stack name (default `test`). */
  readonly stackName?: string;
  /** Stack config, written to Pulumi.<stack>.yaml by `pulumi config set` (secrets encrypted). */
  readonly config?: ConfigMap;
  /** Extra environment for the CLI and what it starts. */
  readonly env?: Record<string, string>;
  /** Another stack of the same project directory and backend. */
  readonly shareWith?: YamlStack;
}

/** A stack of a YAML project the test wrote. */
export interface YamlStack extends ProgramStack {
  /** The Pulumi.yaml text as it is now. */
  program(): string;
  /** Replaces `from` by `to` in Pulumi.yaml; throws when `from` is not there (an edit that changes nothing proves nothing). */
  edit(from: string | RegExp, to: string): void;
  /** Appends text to Pulumi.yaml (e.g. the code `pulumi import` generated). */
  append(text: string): void;
  /** `pulumi preview` that is expected to fail: the engine's events and everything the CLI printed. */
  failingPreview(): Promise<{ events: EngineEvent[]; output: string }>;
  /** Runs the CLI in the project directory on this stack; resolves with the exit code and stdout + stderr. */
  cli(...args: string[]): Promise<{ code: number; out: string }>;
}

/** The Pulumi.yaml header every test project shares: the YAML runtime and the plugin's directory. */
function header(project: string): string {
  return [
    `name: ${project}`,
    "runtime: yaml",
    `description: Engine test of the native plugin through a Pulumi YAML program (${project}).`,
    "plugins:",
    "  providers:",
    "    - name: importexport",
    `      path: ${pluginDir}`,
    "",
  ].join("\n");
}

/**
 * Writes a YAML project and opens a stack of it. Fails at once, saying what is missing and how to get it, when there
 * is no YAML language host (../helpers/yaml-project's requireYamlHost) rather than letting the engine fail later with a
 * plugin-lookup error.
 */
export async function createYamlStack(options: YamlStackOptions): Promise<YamlStack> {
  requireYamlHost();
  let ws: ProgramStack;
  if (options.shareWith) {
    ws = await createProgramStack({ fixture: options.shareWith.workDir, shareWith: options.shareWith, ...common(options) });
  } else {
    // createProgramStack copies a fixture directory: write the project into a scratch one first.
    const fixture = join(repoRoot, ".tmp", "engine", `yaml-fixture-${randomUUID().slice(0, 8)}`);
    mkdirSync(fixture, { recursive: true });
    writeFileSync(join(fixture, "Pulumi.yaml"), header(options.project) + options.body);
    try {
      ws = await createProgramStack({ fixture, ...common(options) });
    } finally {
      rmSync(fixture, { recursive: true, force: true });
    }
  }
  const yamlPath = join(ws.workDir, "Pulumi.yaml");
  const stackName = options.stackName ?? "test";
  return {
    ...ws,
    program: () => readFileSync(yamlPath, "utf8"),
    edit(from, to) {
      const text = readFileSync(yamlPath, "utf8");
      const found = typeof from === "string" ? text.includes(from) : from.test(text);
      if (!found) throw new Error(`Pulumi.yaml has no ${String(from)} to replace:\n${text}`);
      writeFileSync(yamlPath, text.replace(from, to));
    },
    append(text) {
      writeFileSync(yamlPath, readFileSync(yamlPath, "utf8") + text);
    },
    async failingPreview() {
      const events: EngineEvent[] = [];
      let output = "";
      const add = (text: string) => void (output += text);
      try {
        await ws.stack.preview({ onEvent: (e) => events.push(e), onOutput: add, onError: add, color: "never" });
      } catch {
        return { events, output };
      }
      throw new Error(`pulumi preview succeeded; the test expected it to fail:\n${output}`);
    },
    cli: (...args) =>
      new Promise((resolve) =>
        execFile(
          join(pulumiBinDir(), "pulumi"),
          [...args, "--stack", stackName, "--non-interactive", "--color", "never"],
          { cwd: ws.workDir, env: { ...process.env, ...ws.env, PATH: `${pulumiBinDir()}:${process.env["PATH"] ?? ""}` }, timeout: 240_000, maxBuffer: 16 << 20 },
          (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, out: `${stdout}\n${stderr}` }),
        ),
      ),
  };
}

function common(options: YamlStackOptions): { stackName?: string; config?: ConfigMap; env?: Record<string, string> } {
  return {
    ...(options.stackName !== undefined ? { stackName: options.stackName } : {}),
    ...(options.config !== undefined ? { config: options.config } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  };
}

/**
 * Stack config for a provider's settings against one emulator account: `<namespace>:endpoint`, `accessKeyId`, and
 * `secretAccessKey` as a secret (namespace `importexport` configures the default provider).
 */
export function providerSettings(namespace: string, endpoint: string, account: { readonly accessKeyId: string; readonly secretAccessKey: string }): ConfigMap {
  return {
    [`${namespace}:endpoint`]: { value: endpoint },
    [`${namespace}:accessKeyId`]: { value: account.accessKeyId },
    [`${namespace}:secretAccessKey`]: { value: account.secretAccessKey, secret: true },
  };
}

// The engine-event readers YAML tests use beside this harness; native tests import them from ./events directly.
export { diagnosticsOn, stepsOf, warningsOn } from "./events";

/** An ImportExportJob entry of a program's `resources:` section, as a YAML user writes it (the manifest as a mapping). */
export function importExportJobYaml(name: string, manifest: { deviceId: string; bucket: string; postalCode: string }, indent = "  "): string {
  const i = (n: number) => indent.repeat(n);
  return [
    `${i(1)}${name}:`,
    `${i(2)}type: importexport:index:ImportExportJob`,
    `${i(2)}properties:`,
    `${i(3)}jobType: Import`,
    `${i(3)}manifest:`,
    // Quoted on purpose: the YAML host must pass "2.0" and the postal code as strings, not numbers.
    `${i(4)}manifestVersion: "2.0"`,
    `${i(4)}deviceId: ${manifest.deviceId}`,
    `${i(4)}eraseDevice: true`,
    `${i(4)}bucket: ${manifest.bucket}`,
    `${i(4)}returnAddress:`,
    `${i(5)}name: Jane Roe`,
    `${i(5)}street1: 123 Any Street`,
    `${i(5)}city: Seattle`,
    `${i(5)}stateOrProvince: WA`,
    `${i(5)}postalCode: "${manifest.postalCode}"`,
    `${i(5)}phoneNumber: 206-555-1111`,
    `${i(5)}country: USA`,
    "",
  ].join("\n");
}
