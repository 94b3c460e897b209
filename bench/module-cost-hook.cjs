// Preloaded (`node -r`) by bench/cli-modules.mjs into one run of the CLI: measures every CommonJS `require` (wall ms
// and resident memory added, each inclusive of what it requires in turn and "self" = inclusive minus its children),
// and on exit writes them as JSON to $MODULE_COST_OUT. Each module is counted once, where it is first loaded. Built-in
// modules (node:crypto, ...) are counted in the module that first requires them.
"use strict";
const Module = require("node:module");
const { writeFileSync } = require("node:fs");

const out = process.env.MODULE_COST_OUT;
if (out) {
  const t0 = performance.now();
  const startRssBytes = process.memoryUsage.rss();
  const records = [];
  const stack = [];
  const original = Module._load;
  Module._load = function load(request, parent, isMain) {
    let filename;
    try {
      filename = Module._resolveFilename(request, parent, isMain);
    } catch {
      return original.apply(this, arguments);
    }
    // Cached and built-in modules cost (almost) nothing: count only first loads of files.
    if (Module._cache[filename] !== undefined || !filename.includes("/")) return original.apply(this, arguments);
    const frame = { file: filename, children: 0, childrenRss: 0 };
    stack.push(frame);
    const rss0 = process.memoryUsage.rss();
    const start = performance.now();
    try {
      return original.apply(this, arguments);
    } finally {
      const ms = performance.now() - start;
      const rss = process.memoryUsage.rss() - rss0;
      stack.pop();
      const parentFrame = stack[stack.length - 1];
      if (parentFrame) {
        parentFrame.children += ms;
        parentFrame.childrenRss += rss;
      }
      records.push({ file: filename, parent: parentFrame?.file, inclusiveMs: ms, selfMs: ms - frame.children, inclusiveRss: rss, selfRss: rss - frame.childrenRss });
    }
  };
  process.on("exit", () => {
    const mem = process.memoryUsage();
    // VmHWM: the peak resident set so far (Linux), what /usr/bin/time reports as maximum resident size.
    let peakBytes;
    try {
      peakBytes = Number(/VmHWM:\s+(\d+) kB/.exec(require("node:fs").readFileSync("/proc/self/status", "utf8"))?.[1]) * 1024 || undefined;
    } catch {
      peakBytes = undefined;
    }
    writeFileSync(out, JSON.stringify({ totalMs: performance.now() - t0, startRssBytes, rssBytes: mem.rss, peakBytes, heapUsedBytes: mem.heapUsed, records }));
  });
}
