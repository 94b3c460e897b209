/**
 * What the plugin loads before it prints its port (issue 23 item 6: the plugin's start-up; bench/native-preview.mjs
 * measures it against `node -e`): the gRPC server and the provider protos, not the engine's log client (loaded with
 * the first message), not the resource runtimes with their SDK clients (loaded by Configure), nor the Pulumi SDK's
 * program runtime. Checked from the module list of the real executable (a `-r` preload writes `require.cache` when
 * the port line is written), not from timings. Needs the built dist/ (npm run build / scripts/setup.mjs).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

const BIN = join(__dirname, "..", "..", "..", "bin", "pulumi-resource-importexport");
const dir = mkdtempSync(join(tmpdir(), "importexport-plugin-startup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Modules the plugin needs only after start-up, by path. */
const NOT_AT_START: Record<string, RegExp> = {
  "the engine's log client": /\/@pulumi\/pulumi\/proto\/engine(_grpc)?_pb\.js$/,
  "the resource runtimes": /\/dist\/provider\/(importexport|iot)\/runtime\.js$/,
  "the SDK clients' transport (undici)": /\/node_modules\/undici\//,
  "the AWS SDK": /\/node_modules\/@aws-sdk\//,
  "the Pulumi SDK's program runtime": /\/@pulumi\/pulumi\/index\.js$/,
};

it("prints its port having loaded the server and the protos only", async () => {
  const out = join(dir, "loaded.json");
  const preload = join(dir, "loaded.cjs");
  writeFileSync(
    preload,
    "const write = process.stdout.write.bind(process.stdout);\n" +
      "process.stdout.write = (chunk, ...rest) => { require('node:fs').writeFileSync(process.env.LOADED_OUT, JSON.stringify(Object.keys(require.cache))); return write(chunk, ...rest); };\n",
  );
  // Started in a process group of its own, killed as a group once the port is out.
  const child = spawn(process.execPath, ["-r", preload, BIN], { stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, LOADED_OUT: out } });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      child.stdout?.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes("\n")) resolve(stdout.split("\n")[0] ?? "");
      });
      child.once("exit", (code) => reject(new Error(`plugin exited with ${code} before printing its port`)));
    });
    expect(port).toMatch(/^\d+$/);
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
  }
  const loaded = JSON.parse(readFileSync(out, "utf8")) as string[];
  expect(loaded.some((f) => f.endsWith("/@grpc/grpc-js/build/src/index.js"))).toBe(true);
  expect(loaded.some((f) => f.endsWith("/@pulumi/pulumi/proto/provider_pb.js"))).toBe(true);
  for (const [what, pattern] of Object.entries(NOT_AT_START)) expect(loaded.filter((f) => pattern.test(f)), what).toEqual([]);
}, 60_000);
