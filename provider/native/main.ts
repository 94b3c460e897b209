/**
 * The plugin's entry (`pulumi-resource-importexport` runs it): serves the package on a loopback port and prints the
 * port as the first line of stdout, which is how the engine finds it. Everything printed afterwards goes to the
 * engine's log service (./engine-log), never to stdout.
 *
 * Command line, as the engine starts plugins: `[--logtostderr] [-v=N] [--tracing ADDR] [ENGINE_ADDRESS]`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { EngineLog } from "./engine-log";
import type { NativePackage } from "./native-resource";
import { providerConfig, resources } from "./resources";
import { serve, type RunningServer } from "./server";

/** The engine's address from the plugin's arguments (flags the engine may prepend are skipped). */
export function engineAddressOf(args: readonly string[]): string | undefined {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--logtostderr" || a.startsWith("-v=") || a.startsWith("--v=")) continue;
    if (a === "--tracing") {
      i++;
      continue;
    }
    rest.push(a);
  }
  return rest[0];
}

/** This package's version (from its package.json, found upwards from this file: source and dist differ in depth). */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-importexport" && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return "0.0.0";
  }
}

/** The package the plugin serves. */
export function importExportPackage(): NativePackage {
  return {
    name: "importexport",
    version: packageVersion(),
    description: "AWS Import/Export jobs as Pulumi resources (native plugin face of pulumi-importexport).",
    config: providerConfig,
    resources,
  };
}

/** Starts the plugin: serves, then prints the port. */
export async function main(args: readonly string[]): Promise<RunningServer> {
  const log = new EngineLog();
  log.captureConsole();
  process.on("unhandledRejection", (e) => void log.log("error", `importexport plugin: ${e instanceof Error ? e.message : String(e)}`));
  const engine = engineAddressOf(args);
  if (engine !== undefined) log.connect(engine);
  const server = await serve(importExportPackage(), { log });
  process.stdout.write(`${server.port}\n`);
  return server;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`pulumi-resource-importexport could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
