#!/usr/bin/env node
// Copies the files tsc does not emit into dist/: the emulator dashboard's static page (emulator/ui/*.html, .css,
// .js) and each emulated service's page script (emulator/<service>/ui/), which the emulator serves from beside its
// compiled modules. Run by scripts/setup.mjs and
// `npm run build` after tsc. Only Node built-ins: it runs before anything else is known to be installed.
import { cpSync, existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Copies emulator/ui and every emulator/<service>/ui to the same place under dist/ (overwriting). */
export function copyAssets() {
  cpSync(join(root, "emulator", "ui"), join(root, "dist", "emulator", "ui"), { recursive: true });
  for (const entry of readdirSync(join(root, "emulator"), { withFileTypes: true })) {
    const ui = join(root, "emulator", entry.name, "ui");
    if (entry.isDirectory() && existsSync(ui)) cpSync(ui, join(root, "dist", "emulator", entry.name, "ui"), { recursive: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) copyAssets();
