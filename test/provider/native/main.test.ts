/**
 * The plugin executable (bin/pulumi-resource-importexport → dist/provider/native/main.js) as the engine starts it:
 * the port is the first and only line on stdout, the server answers on it, and the engine's address is taken from
 * the arguments whatever flags precede it. Needs the built dist/ (npm run build / scripts/setup.mjs).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { describe, expect, it } from "vitest";
import { engineAddressOf, packageVersion } from "../../../provider/native/main";

const BIN = join(__dirname, "..", "..", "..", "bin", "pulumi-resource-importexport");

describe("engineAddressOf", () => {
  it.each([
    [["127.0.0.1:1234"], "127.0.0.1:1234"],
    [["--logtostderr", "-v=9", "127.0.0.1:1234"], "127.0.0.1:1234"],
    [["--tracing", "tcp://x:1", "127.0.0.1:1234"], "127.0.0.1:1234"],
    [["--logtostderr"], undefined],
    [[], undefined],
  ])("%j → %s", (args, expected) => {
    expect(engineAddressOf(args)).toBe(expected);
  });
});

describe("the executable", () => {
  it("prints only its port on stdout and serves GetPluginInfo on it", async () => {
    // Started in a process group of its own, killed as a group at the end.
    const child: ChildProcess = spawn(BIN, ["--logtostderr", "-v=3"], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    try {
      const port = await new Promise<string>((resolve, reject) => {
        child.stdout?.on("data", (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes("\n")) resolve(stdout.split("\n")[0] ?? "");
        });
        child.once("exit", (code) => reject(new Error(`plugin exited with ${code} before printing its port`)));
      });
      expect(port).toMatch(/^\d+$/);
      const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      const info = await new Promise<PluginInfo>((resolve, reject) => client.getPluginInfo(new Empty(), (e, r) => (e ? reject(e) : resolve(r))));
      client.close();
      expect(info.getVersion()).toBe(packageVersion());
      expect(stdout).toBe(`${port}\n`);
    } finally {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
    }
  });
});
