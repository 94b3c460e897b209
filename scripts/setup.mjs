#!/usr/bin/env node
// One-step set-up shared by `npm test` and `npm run demo` on a fresh clone: install the locked dependencies,
// build the package (the Pulumi programs in this repo load the built CommonJS output, as users' programs do),
// link the package into node_modules under its own name, and make the Pulumi CLI available.
// Only Node built-ins here: this runs before node_modules exists.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { copyAssets } from "./copy-assets.mjs";
import { findYamlHost, yamlHostDirs } from "./yaml-host.cjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const step = (msg) => process.stderr.write(`[setup] ${msg}\n`);
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) {
    step(`'${cmd} ${args.join(" ")}' failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
};

// 1. Dependencies: npm ci when node_modules is missing or older than the lock file.
const installedLock = join(root, "node_modules", ".package-lock.json");
if (!existsSync(installedLock) || statSync(installedLock).mtimeMs < statSync(join(root, "package-lock.json")).mtimeMs) {
  step("installing dependencies (npm ci)");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
}

// 2. Build dist/ (CommonJS): Pulumi programs and the dynamic provider process load it.
step("building dist/ (tsc -p tsconfig.build.json)");
run(join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"]);
copyAssets(); // the dashboard's static page (tsc emits only .ts output)
// tsc writes plain files; the bins are run directly too (./dist/cli/bin.js), as npm would link them for users.
for (const bin of ["cli/bin.js", "emulator/bin.js"]) chmodSync(join(root, "dist", bin), 0o755);

// 3. Resolve `pulumi-importexport` by name from programs inside this repo (examples, test fixtures), and from the
//    dynamic-provider process, which resolves from the program directory just as in a user's project.
const link = join(root, "node_modules", "pulumi-importexport");
let linked = false;
try { linked = lstatSync(link).isSymbolicLink(); } catch { /* absent */ }
if (!linked) {
  rmSync(link, { recursive: true, force: true });
  symlinkSync(relative(dirname(link), root), link, "dir");
}

// 4. The Pulumi CLI (built from Go modules on first use; cached afterwards).
const r = spawnSync(join(root, "scripts", "pulumi-cli"), [], { cwd: root, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
if (r.status !== 0) process.exit(r.status || 1);
const binDir = r.stdout.trim().split("\n").pop();
mkdirSync(join(root, ".tmp"), { recursive: true });
writeFileSync(join(root, ".tmp", "pulumi-bin-dir"), binDir + "\n");
step(`pulumi CLI: ${execFileSync(join(binDir, "pulumi"), ["version"], { encoding: "utf8" }).trim()} (${binDir})`);
// The YAML language host (YAML programs only): scripts/pulumi-cli already said how to get one when it is missing.
const yamlHost = findYamlHost(yamlHostDirs(binDir));
step(`YAML language host: ${yamlHost ?? "none (YAML programs will not run; everything else does)"}`);
