/**
 * The README's "Use it from npm" path, followed from an `npm pack` install alone, as a new user would: a fresh
 * project laid out like `pulumi new typescript` (package.json, tsconfig with `moduleResolution: node`, index.ts,
 * Pulumi.yaml) outside the repo, the program and the `pulumi config set` lines taken from the installed README, the
 * emulator started from the installed package (`npx importexport-emulator`), the real `pulumi` binary on a file://
 * backend (test/engine/harness.ts builds or finds it), `npx importexport emulator advance` to move the job, then
 * `pulumi destroy`. What the README claims about the emulator's first line (endpoint, keys, bucket) is checked too.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packedProject } from "./packed";

/** What a command printed and how it exited. */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The README's "Use it from npm" section, as installed. */
function npmSection(readme: string): string {
  const start = readme.indexOf("## Use it from npm");
  expect(start, "README.md has no '## Use it from npm' section").toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + 3);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The fenced code blocks of `lang` in `markdown`. */
function codeBlocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp("^```" + lang + "\\n([\\s\\S]*?)^```$", "gm"))].map((m) => m[1] ?? "");
}

/** The tsconfig.json `pulumi new typescript` writes (pulumi/templates, typescript/): no skipLibCheck, moduleResolution node. */
const PULUMI_NEW_TSCONFIG = {
  compilerOptions: {
    strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true,
    experimentalDecorators: true, pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

describe("README 'Use it from npm', from an npm pack install", () => {
  let project: string;
  let work: string;
  let emulator: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;

  /** Runs a command in the project with the test's environment. */
  const run = (file: string, args: readonly string[], timeout = 300_000): Promise<Run> =>
    new Promise((done) => {
      execFile(file, args, { cwd: project, env, timeout, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : -1) : 0;
        done({ code, stdout, stderr });
      });
    });
  const ok = async (file: string, args: readonly string[]): Promise<string> => {
    const r = await run(file, args);
    expect(r.code, `${file} ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const pulumi = (...args: string[]): Promise<string> => ok("pulumi", [...args, "--non-interactive", "--color", "never"]);

  beforeAll(async () => {
    ({ work, project, env } = await packedProject("npm-path", "photos"));
  });

  afterAll(() => {
    // The emulator runs in its own process group (npx, sh, node): end all of it.
    if (emulator?.pid !== undefined && emulator.exitCode === null) {
      try {
        process.kill(-emulator.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("install, start the emulator, configure, pulumi up, advance the job, pulumi up --refresh, pulumi destroy", async () => {
    const installed = join(project, "node_modules", "pulumi-importexport");
    const section = npmSection(readFileSync(join(installed, "README.md"), "utf8"));
    const [program] = codeBlocks(section, "ts");
    expect(program, "the section shows the program").toBeDefined();
    const shell = codeBlocks(section, "bash").join("\n");

    // A project as `pulumi new typescript` lays it out, with the README's program as index.ts.
    writeFileSync(join(project, "Pulumi.yaml"), "name: photos\ndescription: Import/Export from npm\nruntime:\n  name: nodejs\n  options:\n    packagemanager: npm\n");
    writeFileSync(join(project, "tsconfig.json"), `${JSON.stringify(PULUMI_NEW_TSCONFIG, null, 4)}\n`);
    writeFileSync(join(project, "package.json"), `${JSON.stringify({
      name: "photos", main: "index.ts",
      devDependencies: { "@types/node": "^20", typescript: "^5.0.0" },
      dependencies: { "@pulumi/pulumi": "3.248.0", "pulumi-importexport": "^0.1.0" },
    }, null, 2)}\n`);
    writeFileSync(join(project, "index.ts"), program ?? "");

    // 2. The emulator from the installed package; --port 0 as the README offers (another test may hold 4599).
    expect(shell).toContain("npx importexport-emulator");
    emulator = spawn("npx", ["importexport-emulator", "--port", "0"], { cwd: project, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let emulatorErr = "";
    emulator.stderr?.on("data", (b: Buffer) => (emulatorErr += b.toString()));
    const firstLine = await new Promise<string>((done, fail) => {
      createInterface({ input: emulator!.stdout! }).once("line", done);
      emulator!.once("exit", (code) => fail(new Error(`npx importexport-emulator exited (${code}): ${emulatorErr}`)));
    });
    const started = JSON.parse(firstLine) as { endpoint: string; region: string; accounts: { accountId: string; accessKeyId: string; secretAccessKey: string; buckets: { name: string; region: string }[] }[] };
    const [alice] = started.accounts;
    expect(started.region).toBe("us-east-1");
    expect(alice?.buckets).toContainEqual({ name: "alice-import", region: "us-east-1" });

    // "`npx importexport emulator accounts` prints the list again."
    expect(section).toContain("`npx importexport emulator accounts` prints the list again");
    const listed = JSON.parse(await ok("npx", ["importexport", "emulator", "accounts", "--endpoint-url", started.endpoint])) as { accounts: unknown };
    expect(listed.accounts).toEqual(started.accounts);

    // The README's credentials are the first account's.
    const exported = /export AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)/.exec(shell);
    expect(exported?.slice(1)).toEqual([alice?.accessKeyId, alice?.secretAccessKey]);
    env["AWS_ACCESS_KEY_ID"] = exported?.[1];
    env["AWS_SECRET_ACCESS_KEY"] = exported?.[2];

    // 4. The README's stack config, the endpoint being the one the emulator printed.
    await pulumi("stack", "init", "dev");
    const configLines = [...shell.matchAll(/^pulumi config set (\S+) (\S+)/gm)];
    expect(configLines.map((m) => m[1])).toEqual(["importexport:endpoint", "importexport:region", "bucket"]);
    for (const [, key = "", value = ""] of configLines) {
      await pulumi("config", "set", key, key === "importexport:endpoint" ? started.endpoint : value);
    }
    await pulumi("up", "--yes");
    const outputs = async (): Promise<Record<string, string>> => JSON.parse(await pulumi("stack", "output", "--json")) as Record<string, string>;
    const created = await outputs();
    expect(created).toMatchObject({ location: "NotReceived", progress: "Pending", signatureFile: "[secret]" });
    expect(created["jobId"]).toMatch(/^[1-9A-NP-Z]{5}$/);
    expect(created["shipTo"]).toContain(created["jobId"]);
    const jobId = created["jobId"] ?? "";

    // 6. The package's CLI moves the job, as the README says.
    expect(shell).toContain('npx importexport emulator advance "$(pulumi stack output jobId)" --progress-code InProgress');
    const arrived = JSON.parse(await ok("npx", ["importexport", "emulator", "advance", jobId, "--endpoint-url", started.endpoint])) as Record<string, unknown>;
    expect(arrived).toMatchObject({ jobId, locationCode: "AtAWS", progressCode: "Pending" });
    await ok("npx", ["importexport", "emulator", "advance", jobId, "--progress-code", "InProgress", "--endpoint-url", started.endpoint]);
    expect(shell).toContain("pulumi up --refresh");
    await pulumi("up", "--refresh", "--yes");
    expect(await outputs()).toMatchObject({ jobId, location: "AtAWS", progress: "InProgress" });

    // 7. Destroy releases the started job with a warning; it keeps running in the service.
    const destroyed = await pulumi("destroy", "--yes");
    expect(destroyed.replace(/\s+/g, " ")).toContain(`${jobId} (ProgressCode InProgress) was not cancelled`);
    expect(destroyed.replace(/\s+/g, " ")).toContain("It is released from the stack and left as it is in the service.");
    const jobs = JSON.parse(await ok("npx", ["importexport", "emulator", "jobs", "--endpoint-url", started.endpoint])) as { jobs: { jobId: string; progressCode: string; isCanceled: boolean }[] };
    expect(jobs.jobs).toEqual([expect.objectContaining({ jobId, progressCode: "InProgress", isCanceled: false })]);
    expect(JSON.parse(await pulumi("stack", "export")).deployment.resources ?? []).toHaveLength(0);
  }, 900_000);
});
