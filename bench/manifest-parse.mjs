#!/usr/bin/env node
/**
 * parseManifest on manifests with more and more keys, up to the 5,000-entry cap, against yaml's own `uniqueKeys`
 * check (what parseManifest used before: it compares every key with every other) on the same text, in the same
 * run. Prints ms per parse and µs per key: linear parsing keeps µs/key flat as the key count grows, the quadratic
 * baseline does not. Also times refusing a 600 KiB manifest (the size cap answers before parsing). Not a test.
 * Needs `npm run build` first (reads dist/sdk).
 *
 * Usage: node bench/manifest-parse.mjs [--rounds 5]
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { recordResult } from "./summary.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { parseManifest } = require(join(root, "dist/sdk"));
const { parseDocument } = require("yaml");

const roundsArg = process.argv.indexOf("--rounds");
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;

function manifest(keys) {
  const lines = ["manifestVersion: 2.0", "deviceId: 49382", "bucket: alice-import", "contentTypes:"];
  // Short entries, so that 4,900 keys still fit in the 64 KiB cap.
  for (let i = 0; i < keys; i++) lines.push(`  e${i}: t`);
  return lines.join("\n");
}

/** Best of `rounds` runs, in ms (the least disturbed by other load on the machine). */
function best(fn) {
  let min = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

// Warm up both paths (JIT) so the first row is not mostly compilation.
for (let i = 0; i < 3; i++) {
  parseManifest(manifest(1000));
  parseDocument(manifest(1000), { schema: "failsafe", uniqueKeys: true }).toJS();
}
console.log("keys   bytes   parseManifest ms (µs/key)   yaml uniqueKeys ms (µs/key)   ratio");
const SIZES = [1000, 2000, 4000, 4900];
let firstPerKey;
for (const keys of SIZES) {
  const text = manifest(keys);
  const ours = best(() => parseManifest(text));
  const baseline = best(() => parseDocument(text, { schema: "failsafe", uniqueKeys: true }).toJS());
  const perKey = (ms) => ((ms * 1000) / keys).toFixed(1);
  console.log(
    `${String(keys).padEnd(6)} ${String(text.length).padEnd(7)} ${ours.toFixed(1).padStart(8)} (${perKey(ours).padStart(5)})` +
      `            ${baseline.toFixed(1).padStart(8)} (${perKey(baseline).padStart(5)})              ${(baseline / ours).toFixed(1)}×`,
  );
  firstPerKey ??= ours / keys;
  if (keys === SIZES[SIZES.length - 1]) {
    // No numeric target: linear parsing shows as a flat time per key (ratio ≈ 1), the quadratic baseline as a speed-up growing with the keys.
    recordResult({ bench: "manifest-parse", figure: `parseManifest time per key, ${keys} ÷ ${SIZES[0]} keys`, value: ours / keys / firstPerKey });
    recordResult({ bench: "manifest-parse", figure: `${keys} keys: yaml uniqueKeys ÷ parseManifest`, value: baseline / ours });
  }
}
const huge = `${manifest(10)}\n${Array.from({ length: 6000 }, (_, i) => `key${i}: ${"x".repeat(100)}`).join("\n")}`;
const refuse = best(() => {
  try {
    parseManifest(huge);
  } catch {
    // The size cap: MalformedManifestException.
  }
});
console.log(`refusing a ${(huge.length / 1024).toFixed(0)} KiB manifest: ${refuse.toFixed(2)} ms`);
