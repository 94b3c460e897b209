#!/usr/bin/env node
/** `importexport`: the command line entry. Everything is in program.ts; this only wires the process to it. */
import { runCli } from "./program";

void runCli(process.argv.slice(2)).then((code) => {
  // exitCode, not exit(): stdout may still be flushing into a pipe.
  process.exitCode = code;
});
