// Preloaded (`node -r`) into the Node processes of one `pulumi preview` or `up` by bench/provider-preview.mjs and
// bench/native-preview.mjs --profile DIR: the program (the language host's `cmd/run`) and the provider (the
// dynamic-provider host or the native plugin). NODE_OPTIONS cannot carry --cpu-prof, so this starts V8's sampling
// profiler through node:inspector and, when the process ends, writes DIR/<kind>-<pid>.cpuprofile (open it in Chrome
// DevTools) and DIR/<kind>-<pid>.json with the process's own CPU time. The engine stops plugins with a signal, so
// SIGINT/SIGTERM write the files too before exiting.
"use strict";
const inspector = require("node:inspector");
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");

const dir = process.env.BENCH_PROFILE_DIR;
const argIncludes = (text) => process.argv.some((a) => a.includes(text));
const kind = argIncludes("dynamic-provider") || argIncludes("pulumi-resource-importexport") ? "provider" : argIncludes("cmd/run") ? "program" : undefined;
if (dir && kind) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    const cpu = process.cpuUsage();
    const base = join(dir, `${kind}-${process.pid}`);
    writeFileSync(`${base}.json`, JSON.stringify({ kind, cpuMs: (cpu.user + cpu.system) / 1000 }));
    // The main-thread session answers synchronously, so this works inside an exit handler.
    session.post("Profiler.stop", (err, r) => {
      if (!err) writeFileSync(`${base}.cpuprofile`, JSON.stringify(r.profile));
    });
  };
  process.on("exit", write);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      write();
      process.exit(0);
    });
  }
}
