/**
 * The README's "Pulumi YAML" section followed from an `npm pack` tarball, as a user who keeps stacks in Pulumi YAML
 * would (issue 24 item 5): a fresh empty directory outside the repo, the section's `Pulumi.yaml` written there exactly
 * as the README shows it, the section's two commands run there — `npm install` of the tarball in place of
 * `npm install pulumi-importexport` (a real npm install: the package's `files`, `bin` and dependencies as the
 * registry would serve them), then `pulumi up` — with the stack settings the section names (`pulumi stack init dev`,
 * `pulumi config set importexport:endpoint …`, the emulator's keys in the environment). The emulator is the installed
 * package's (`npx importexport-emulator`), the CLI and YAML host the real ones from the pulumi bin dir, and nothing
 * else on PATH can serve the plugin: the engine finds it only where the sample's `plugins:` section points.
 * Then a manifest edit previews as an in-place update of `manifest` (`pulumi preview --json`), and `pulumi destroy`
 * cancels the job. When the README's sample or commands stop working from an installed package, this test fails.
 * Below another npm project (a parent with a package.json), npm would install into that parent; the section's advice,
 * `npm init -y` first, is followed there and the plugin must land where the sample's `plugins:` points.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMap, parseDocument, type YAMLMap } from "yaml";
import { emulatorAdmin } from "../helpers/emulator";
import { describeProcesses, groupExited, killLeftovers } from "../helpers/leftovers";
import { requireYamlHost } from "../helpers/yaml-project";
import { packedProject, repoRoot } from "../package/packed";

/** The README's "Pulumi YAML" section (up to the next `## ` heading). */
function yamlSection(readme: string): string {
  const start = readme.indexOf("\n## Pulumi YAML");
  if (start < 0) throw new Error("README.md has no '## Pulumi YAML' section");
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The fenced code blocks of `lang` in `markdown`. */
function codeBlocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp("^```" + lang + "\\n([\\s\\S]*?)^```$", "gm"))].map((m) => m[1] ?? "");
}

/** The commands of a shell block: one per line, `#` comments and blank lines dropped. */
function commands(block: string): string[] {
  return block.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()).filter((l) => l !== "" && !l.startsWith("#"));
}

/** The nearest directory above `dir` that npm would take as the project (it has a package.json or node_modules). */
function npmProjectAbove(dir: string): string | undefined {
  for (let d = dirname(dir); ; d = dirname(d)) {
    if (existsSync(join(d, "package.json")) || existsSync(join(d, "node_modules"))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** What `pulumi preview --json` prints (the fields this test reads). */
interface PreviewJson {
  steps: { op: string; urn: string; detailedDiff?: Record<string, { kind: string }>; replaceReasons?: string[] }[];
  changeSummary: Record<string, number>;
}

/** The emulator's first stdout line (docs/emulator.md). */
interface EmulatorStarted {
  endpoint: string;
  accounts: { accountId: string; accessKeyId: string; secretAccessKey: string }[];
}

describe("README 'Pulumi YAML' from an npm pack install: the section's Pulumi.yaml and its two commands", () => {
  let work: string;
  let project: string;
  let tarball: string;
  let env: NodeJS.ProcessEnv;
  let emulator: ChildProcess | undefined;

  const run = (file: string, args: readonly string[]): Promise<string> =>
    new Promise((resolve, reject) =>
      execFile(file, args, { cwd: project, env, timeout: 300_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${file} ${args.join(" ")} failed: ${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    );
  const pulumi = (...args: string[]) => run("pulumi", [...args, "--non-interactive", "--color", "never"]);

  beforeAll(async () => {
    requireYamlHost(); // a missing YAML host fails here, saying how to get one
    ({ work, project, tarball, env } = await packedProject("yaml-npm", "photos", { install: false }));
    // Only the directories a user has: the pulumi CLI (and YAML host), node and npm. No directory that holds a
    // pulumi-resource-importexport (a repo's node_modules/.bin): the plugin must come from the sample's `plugins:`.
    env["PATH"] = (env["PATH"] ?? "").split(delimiter).filter((d) => d !== "" && !existsSync(join(d, "pulumi-resource-importexport"))).join(delimiter);
  }, 600_000);

  afterAll(async () => {
    // The emulator runs in its own process group (npx, sh, node): end all of it and wait for all of it (npx, the
    // group's leader, can exit while the emulator's node process is still closing its journal).
    if (emulator?.pid !== undefined) {
      try {
        process.kill(-emulator.pid, "SIGTERM");
      } catch {
        // the group is gone already
      }
      await groupExited(emulator.pid, 10_000);
    }
    // Anything still pointing into the work directory (a plugin of an abandoned pulumi run) is a leak: kill, then fail.
    const left = work === undefined ? [] : killLeftovers({ roots: [`${work}/`] });
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
    if (left.length > 0) throw new Error(`yaml-npm left ${left.length} process(es) running (now killed):\n${describeProcesses(left)}`);
  });

  it("npm install <tarball>, pulumi up creates the job in the emulator, a manifest edit previews as an update, destroy cancels it", async () => {
    const section = yamlSection(readFileSync(join(repoRoot, "README.md"), "utf8"));
    const [sample, ...otherYaml] = codeBlocks(section, "yaml");
    expect(otherYaml, "the section shows one Pulumi.yaml").toEqual([]);
    const shown = commands(codeBlocks(section, "bash").join("\n"));
    expect(shown, "the section's two commands").toEqual(["npm install pulumi-importexport", "pulumi up"]);
    // The stack settings the section names inline, as in "Use it from npm" (a line break inside one is a space).
    const settings = [...section.matchAll(/`(pulumi\s+(?:stack\s+init|config\s+set)\s[^`]+)`/g)].map((m) => (m[1] ?? "").replace(/\s+/g, " "));
    expect(settings).toEqual(["pulumi stack init dev", "pulumi config set importexport:endpoint http://127.0.0.1:4599"]);
    expect(section).toContain("the emulator's keys in the environment");

    // An empty directory with no npm project above it, the README's Pulumi.yaml, then the first command with the
    // tarball for the package name.
    expect(readdirSync(project)).toEqual([]);
    expect(npmProjectAbove(project), "an npm project above the test's directory would receive the install").toBeUndefined();
    writeFileSync(join(project, "Pulumi.yaml"), sample ?? "");
    await run("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"]);
    const installed = join(project, "node_modules", "pulumi-importexport");
    accessSync(join(installed, "bin", "pulumi-resource-importexport"), constants.X_OK); // "the plugin, under …/bin"
    // A user reads the installed copy of the README: it shows the same sample and commands.
    expect(yamlSection(readFileSync(join(installed, "README.md"), "utf8"))).toBe(section);

    // The local service from the installed package, on a free port; its first line gives endpoint and keys.
    emulator = spawn("npx", ["importexport-emulator", "--port", "0"], { cwd: project, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let emulatorErr = "";
    emulator.stderr?.on("data", (b: Buffer) => (emulatorErr += b.toString()));
    const started = JSON.parse(
      await new Promise<string>((resolve, reject) => {
        createInterface({ input: emulator!.stdout! }).once("line", resolve);
        emulator!.once("exit", (code) => reject(new Error(`npx importexport-emulator exited (${code}): ${emulatorErr}`)));
      }),
    ) as EmulatorStarted;
    const [alice] = started.accounts;
    if (alice === undefined) throw new Error("the emulator printed no account");
    env["AWS_ACCESS_KEY_ID"] = alice.accessKeyId;
    env["AWS_SECRET_ACCESS_KEY"] = alice.secretAccessKey;
    const admin = emulatorAdmin(started.endpoint);

    // The stack settings, the endpoint being the one the emulator printed; then the second command.
    await pulumi("stack", "init", "dev");
    await pulumi("config", "set", "importexport:endpoint", started.endpoint);
    await pulumi("up", "--yes");
    const outputs = JSON.parse(await pulumi("stack", "output", "--json")) as Record<string, string>;
    expect(outputs["progress"]).toBe("Pending");
    const jobId = outputs["jobId"] ?? "";
    expect(jobId).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect((await admin.jobs()).map((j) => [j.jobId, j.accountId, j.progressCode, j.isCanceled])).toEqual([[jobId, alice.accountId, "Pending", false]]);
    const state = await pulumi("stack", "export");
    expect(state).toContain('"type": "importexport:index:ImportExportJob"');
    expect(state).not.toContain(alice.secretAccessKey);

    // A manifest edit while the job is Pending: the plugin's detailed diff makes it an in-place update of `manifest`.
    const program = parseDocument(sample ?? "");
    const resources = program.get("resources") as YAMLMap<unknown, YAMLMap> | undefined;
    const job = resources?.items.find((i) => isMap(i.value) && i.value.get("type") === "importexport:index:ImportExportJob");
    const name = String(job?.key);
    const deviceId = program.getIn(["resources", name, "properties", "manifest", "deviceId"]);
    expect(typeof deviceId, "the sample's job has a manifest.deviceId to edit").toBe("string");
    program.setIn(["resources", name, "properties", "manifest", "deviceId"], `${String(deviceId)}7`);
    writeFileSync(join(project, "Pulumi.yaml"), program.toString());
    const preview = JSON.parse(await pulumi("preview", "--json")) as PreviewJson;
    const step = preview.steps.find((s) => s.urn.endsWith(`::importexport:index:ImportExportJob::${name}`));
    expect(step).toMatchObject({ op: "update", detailedDiff: { manifest: { kind: "update" } } });
    expect(step?.replaceReasons ?? []).toEqual([]);
    expect(preview.changeSummary).toEqual({ same: 1, update: 1 });
    expect((await admin.jobs()).map((j) => [j.jobId, j.progressCode])).toEqual([[jobId, "Pending"]]); // preview changed nothing

    await pulumi("destroy", "--yes");
    expect((await admin.jobs()).map((j) => [j.jobId, j.isCanceled])).toEqual([[jobId, true]]);
    expect((JSON.parse(await pulumi("stack", "export")) as { deployment: { resources?: unknown[] } }).deployment.resources ?? []).toEqual([]);
  }, 900_000);

  it("below another npm project, the README's `npm init -y` first keeps the plugin where Pulumi.yaml points", async () => {
    const section = yamlSection(readFileSync(join(repoRoot, "README.md"), "utf8"));
    const advice = /When a\s+parent\s+directory\s+has\s+one[\s\S]*?run\s+`([^`]+)`\s+here\s+first/.exec(section)?.[1];
    expect(advice, "the section says what to run first below another npm project").toBe("npm init -y");
    const [sample] = codeBlocks(section, "yaml");
    const outer = join(work, "monorepo");
    project = join(outer, "photos");
    mkdirSync(project, { recursive: true });
    writeFileSync(join(outer, "package.json"), `${JSON.stringify({ name: "monorepo", private: true }, null, 2)}\n`);
    writeFileSync(join(project, "Pulumi.yaml"), sample ?? "");
    expect(npmProjectAbove(project)).toBe(outer);

    await run("npm", ["init", "-y"]);
    await run("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"]);
    accessSync(join(project, "node_modules", "pulumi-importexport", "bin", "pulumi-resource-importexport"), constants.X_OK);
    expect(existsSync(join(outer, "node_modules"))).toBe(false);
  }, 600_000);
});
