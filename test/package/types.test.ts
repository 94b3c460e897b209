/**
 * Every public entry point type-checks from the packed tarball under each `moduleResolution` a user may have:
 * `node` (what `pulumi new typescript` writes: it ignores package.json `exports`, so subpaths need `typesVersions`),
 * `node16` (reads `exports`; `nodenext` resolves the same way), and `bundler`. One `npm pack`, one install, the
 * repo's own TypeScript; the tsconfigs carry no `skipLibCheck` (neither does `pulumi new`'s), so the shipped
 * declarations are checked too.
 */
import { execFile } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installTarball, packRepo, projectDir, repoRoot } from "./packed";

/** A program that uses each entry point's types; the `@ts-expect-error` lines fail if an import resolved to `any`. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { ImportExportJob, type Manifest } from "pulumi-importexport";
import { IotJob } from "pulumi-importexport/iot";
import { ImportExportClient, validateManifest } from "pulumi-importexport/sdk";
import { startEmulator, type RunningEmulator } from "pulumi-importexport/emulator";

const manifest: Manifest = {
  manifestVersion: "2.0",
  deviceId: "49382",
  eraseDevice: "yes",
  bucket: "alice-import",
  returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Anytown", postalCode: "91011", phoneNumber: "206-555-1111", country: "USA" },
};
const job = new ImportExportJob("photos", { jobType: "Import", manifest });
export const jobId: pulumi.Output<string> = job.jobId;
const fw = new IotJob("firmware", { targets: ["arn:aws:iot:us-east-1:111111111111:thing/t1"], document: "{}" });
export const fwId: pulumi.Output<string> = fw.jobId;
export const problems = validateManifest(manifest, "Import").length;
export async function status(id: string): Promise<string | undefined> {
  const emulator: RunningEmulator = await startEmulator({ port: 0 });
  const client = new ImportExportClient({ endpoint: emulator.endpoint });
  try {
    return (await client.getStatus({ JobId: id })).ProgressCode;
  } finally {
    await client.destroy();
    await emulator.close();
  }
}
// @ts-expect-error jobType is "Import" | "Export"
new ImportExportJob("typo", { jobType: "Imprt", manifest });
// @ts-expect-error an IotJob needs targets
new IotJob("no-targets", { document: "{}" });
// @ts-expect-error startEmulator takes options, not a port number
void startEmulator(4599);
`;

/** The tsconfig of each setting; `node` is `pulumi new typescript`'s own. */
const SETTINGS = {
  node: { module: "commonjs", moduleResolution: "node" },
  // In TypeScript 5.9 nodenext resolves packages as node16 does (`exports` with the "types"/"require" conditions):
  // checking one of the two keeps the file's time down (each run type-checks @pulumi/pulumi's declarations, 15-35 s).
  node16: { module: "node16", moduleResolution: "node16" },
  bundler: { module: "esnext", moduleResolution: "bundler" },
} as const;

function tsconfig(setting: (typeof SETTINGS)[keyof typeof SETTINGS]): string {
  return JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: "es2020", ...setting, esModuleInterop: true, experimentalDecorators: true,
      noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true, types: ["node"],
    },
    files: ["index.ts"],
  }, null, 2);
}

/** Runs the repo's tsc on one tsconfig; resolves to its exit code and output. */
function tsc(project: string, config: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", config, "--pretty", "false"], { cwd: project }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number) : 0;
      done({ code, output: `${stdout}${stderr}` });
    });
  });
}

describe("the packed package type-checks under every moduleResolution", () => {
  let project: string;

  beforeAll(async () => {
    project = projectDir("types");
    await installTarball(project, await packRepo(project));
    writeFileSync(join(project, "index.ts"), PROGRAM);
    for (const [name, setting] of Object.entries(SETTINGS)) writeFileSync(join(project, `tsconfig.${name}.json`), tsconfig(setting));
  });
  afterAll(() => {
    if (project !== undefined) rmSync(project, { recursive: true, force: true });
  });

  it.each(Object.keys(SETTINGS))("moduleResolution %s: pulumi-importexport, /iot, /sdk and /emulator resolve with their types", async (name) => {
    const r = await tsc(project, `tsconfig.${name}.json`);
    expect(r.output).toBe("");
    expect(r.code).toBe(0);
  });
});
