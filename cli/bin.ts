#!/usr/bin/env node
/** `importexport`: the command line entry. Everything is in program.ts; this only wires the process to it. */
import { setFlagsFromString } from "node:v8";
import { runCli } from "./program";

// undici parses HTTP with llhttp compiled to WebAssembly. V8's optimizing tier compiles parts of it on top of the
// baseline (Liftoff) code, which for one short command costs ~35 MiB of peak memory and ~70 ms of CPU while saving
// nothing measurable (docs/cli.md#start-up-time-and-memory). A command lives for one or a few requests: the baseline
// tier alone. This process only: the SDK, used as a library, leaves the host's V8 settings alone.
setFlagsFromString("--liftoff-only");

// The AWS SDK v3 (credential chain, STS) warns on Node < 22 about its *future* releases; the pinned version supports
// Node 20, so the warning would only clutter every command's stderr. An explicit user setting wins.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

// `importexport list-jobs | head -1`: the reader went away; that is not an error worth a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

void runCli(process.argv.slice(2)).then((code) => {
  // exitCode, not exit(): stdout may still be flushing into a pipe.
  process.exitCode = code;
});
