#!/usr/bin/env node
// Copies the files tsc does not emit into dist/: the emulator dashboard's static page (emulator/ui/*.html, .css,
// .js), which the emulator serves from `ui/` next to its compiled modules. Run by scripts/setup.mjs and
// `npm run build` after tsc. Only Node built-ins: it runs before anything else is known to be installed.
import { cpSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Copies emulator/ui to dist/emulator/ui (overwriting). */
export function copyAssets() {
  cpSync(join(root, "emulator", "ui"), join(root, "dist", "emulator", "ui"), { recursive: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) copyAssets();
