#!/usr/bin/env node
// Copies the files tsc does not emit into dist/: the emulator dashboard's static page (emulator/ui/*.html, .css,
// .js) and each emulated service's page script (emulator/<service>/ui/), which the emulator serves from beside its
// compiled modules; and writes the two runtime modules' old paths (see COMPAT_RUNTIMES). Run by scripts/setup.mjs
// and `npm run build` after tsc. Only Node built-ins: it runs before anything else is known to be installed.
import { cpSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The provider runtimes lived at dist/provider/runtime.js and dist/provider/iot-runtime.js before each resource got
 * its folder. A state written then by value (the package linked or outside node_modules, provider/core/serialized.ts)
 * holds the absolute path of that file as the fallback when the package name does not resolve, so the old paths
 * keep answering: each is one line handing on the module at its new place (the same module object, so its settings
 * and connection are shared). They are written here rather than kept as sources so that git sees the runtimes as
 * moved, and other branches' changes to them follow the move.
 */
const COMPAT_RUNTIMES = { "provider/runtime.js": "./importexport/runtime.js", "provider/iot-runtime.js": "./iot/runtime.js" };

/** Copies emulator/ui and every emulator/<service>/ui to the same place under dist/ (overwriting) and writes the old runtime paths. */
export function copyAssets() {
  cpSync(join(root, "emulator", "ui"), join(root, "dist", "emulator", "ui"), { recursive: true });
  for (const entry of readdirSync(join(root, "emulator"), { withFileTypes: true })) {
    const ui = join(root, "emulator", entry.name, "ui");
    if (entry.isDirectory() && existsSync(ui)) cpSync(ui, join(root, "dist", "emulator", entry.name, "ui"), { recursive: true });
  }
  for (const [path, target] of Object.entries(COMPAT_RUNTIMES)) {
    writeFileSync(join(root, "dist", path), `"use strict";\n// Old path of ${target.slice(2)} (scripts/copy-assets.mjs says why).\nmodule.exports = require(${JSON.stringify(target)});\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) copyAssets();
