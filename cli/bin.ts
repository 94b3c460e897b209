#!/usr/bin/env node
/** `importexport`: the command line entry. Everything is in program.ts; this only wires the process to it. */
import { runCli } from "./program";

// `importexport list-jobs | head -1`: the reader went away; that is not an error worth a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

void runCli(process.argv.slice(2)).then((code) => {
  // exitCode, not exit(): stdout may still be flushing into a pipe.
  process.exitCode = code;
});
