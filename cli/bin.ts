#!/usr/bin/env node
/** `importexport`: the command line entry. Everything is in program.ts; this only wires the process to it. */
import { setFlagsFromString } from "node:v8";

// A job verb lives for one or a few requests, so V8's tiers above the interpreter only cost: their compilers' code
// pages, threads and memory, for code that runs a handful of times (docs/cli.md#start-up-time-and-memory):
// - WebAssembly: undici parses HTTP with llhttp compiled to WebAssembly, which TurboFan compiled a second time in the
//   background on top of the baseline (Liftoff) code: ~35 MiB of peak memory and ~70 ms of CPU. Liftoff alone.
// - JavaScript: the optimizing (TurboFan, Maglev) and baseline (Sparkplug) compilers, ~2 MiB of peak memory
//   together.
// - The young generation stays at its initial size instead of doubling once module loading has filled it (most of
//   what loading allocates survives): ~0.4 MiB of peak, a few more short scavenges.
// Not for `importexport emulator`, which serves requests for as long as it runs: there they pay off. Set before
// anything else is loaded, so that no module's code is ever queued for the compilers. This process only: the SDK,
// used as a library, leaves the host's V8 settings alone.
const argv = process.argv.slice(2);
setFlagsFromString(argv.includes("emulator") ? "--liftoff-only" : "--liftoff-only --no-opt --no-maglev --no-sparkplug --semi-space-growth-factor=1");

// Loaded after the flags (a top-level import would run first).
const { runCli } = require("./program") as typeof import("./program");

// The AWS SDK v3 (credential chain, STS) warns on Node < 22 about its *future* releases; the pinned version supports
// Node 20, so the warning would only clutter every command's stderr. An explicit user setting wins.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

// `importexport list-jobs | head -1`: the reader went away; that is not an error worth a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

void runCli(argv).then((code) => {
  // exitCode, not exit(): stdout may still be flushing into a pipe.
  process.exitCode = code;
});
