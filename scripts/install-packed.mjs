#!/usr/bin/env node
// Lays this package out in DIR/node_modules/pulumi-importexport the way `npm install` does for a user: the files
// `npm pack` puts in the tarball (package.json, dist/, ...), as a real directory — not the repo's own link
// (node_modules/pulumi-importexport -> ..), whose real path is outside any node_modules and so makes Pulumi's closure
// serializer copy the provider by value. Dependencies are not installed: with DIR inside the repo they resolve from
// the repo's node_modules, because Node walks up the directory tree. Needs a built dist/.
//
//   node scripts/install-packed.mjs DIR
//
// Used by test/provider/serialize.test.ts (as this command), bench/provider-preview.mjs and test/package/packed.ts
// (the two functions).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Runs `npm pack` of the repo into `destination`; returns the tarball's path. */
export function packTarball(destination) {
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", destination], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const [{ filename }] = JSON.parse(out);
  return join(destination, filename);
}

/** Unpacks `tarball` (default: a fresh `npm pack`) into `dir`/node_modules/pulumi-importexport; returns that path. */
export function installPacked(dir, tarball) {
  const target = join(dir, "node_modules", "pulumi-importexport");
  mkdirSync(target, { recursive: true });
  const scratch = tarball ? undefined : mkdtempSync(join(tmpdir(), "ie-pack-"));
  try {
    // npm's tarballs hold everything under package/.
    execFileSync("tar", ["-xzf", tarball ?? packTarball(scratch), "-C", target, "--strip-components=1"], { stdio: ["ignore", "ignore", "pipe"] });
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  return target;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node scripts/install-packed.mjs DIR");
    process.exit(2);
  }
  console.log(installPacked(resolve(dir)));
}
