#!/usr/bin/env node
// `npm run demo`: the story of one Import/Export job under Pulumi, told with Pulumi's own output, against the local
// emulator. Set-up (npm ci, build, Pulumi CLI) already ran in `predemo` (scripts/setup.mjs).
//
//   create → edit the manifest → preview: update → up → the device arrives and the transfer starts
//   → edit the manifest → preview: replace (and why) → up → destroy
//
// `npm run demo -- iot`: the same for an AWS IoT job (examples/iot-rollout), against the same emulator process:
//
//   create → edit rollout and abort config → preview: update → up → devices report → new firmware version
//   → preview: replace (and why) → up (the old job is cancelled; a device still running it keeps it) → destroy
//
// `npm run demo -- yaml`: the first story again, declared in Pulumi YAML (examples/yaml-quickstart) and served by the
// package's native plugin (pulumi-resource-importexport): the preview's diff names `manifest` as an update, then as a
// replace, and the reason for the replace is a warning on the job itself.
//
// Runs the root program (Pulumi.yaml → examples/quickstart), examples/iot-rollout, or a copy of
// examples/yaml-quickstart, on a file:// backend in .tmp/demo/<time>/, with the stack config there too
// (--config-file), so the repo stays clean. Exits 0 and leaves no process running.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, renameSync, symlinkSync } from "node:fs";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findYamlHost, yamlHostDirs } from "./yaml-host.cjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const story = process.argv[2] ?? "importexport";
if (story !== "importexport" && story !== "iot" && story !== "yaml") {
  console.error(`usage: npm run demo [-- iot | -- yaml]   (unknown story "${story}")`);
  process.exit(2);
}
const binDir = readFileSync(join(root, ".tmp", "pulumi-bin-dir"), "utf8").trim();
const work = join(root, ".tmp", "demo", new Date().toISOString().replace(/[:.]/g, "-"));
if (story === "yaml") requireYamlHost();
// The program the story runs: the root one (examples/quickstart), examples/iot-rollout, or the YAML quickstart.
const project = story === "iot" ? join(root, "examples", "iot-rollout") : story === "yaml" ? yamlProject() : root;
const stateDir = join(work, "state");
const configFile = join(work, "Pulumi.demo.yaml");
mkdirSync(stateDir, { recursive: true });
mkdirSync(join(work, "pulumi-home"), { recursive: true });

/** YAML programs need the YAML language host: say what is missing and how to get it, before anything starts. */
function requireYamlHost() {
  if (findYamlHost(yamlHostDirs(binDir))) return;
  console.error(
    "npm run demo -- yaml needs pulumi-language-yaml (the Pulumi YAML language host), and there is none beside\n" +
      `${join(binDir, "pulumi")} or on PATH. Get it: install Go >= 1.24 and run scripts/pulumi-cli (it builds\n` +
      "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v1.25.0 into that directory), or put the\n" +
      "pulumi-language-yaml of a Pulumi CLI install (https://www.pulumi.com/docs/install/) on PATH.",
  );
  process.exit(1);
}

/**
 * A copy of examples/yaml-quickstart in the demo's directory, with what `npm install pulumi-importexport` gives a
 * user's project: node_modules/pulumi-importexport (here a link to this repository), where its Pulumi.yaml finds
 * the plugin (`plugins: providers: path: ./node_modules/pulumi-importexport/bin`).
 */
function yamlProject() {
  const dir = join(work, "program");
  cpSync(join(root, "examples", "yaml-quickstart"), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(root, join(dir, "node_modules", "pulumi-importexport"), "dir");
  return dir;
}

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const caption = (s) => console.log(`\n${bold(`▶ ${s}`)}\n`);

/** Starts the emulator (a real HTTP server) and reads its first stdout line: endpoint and accounts. */
function startEmulator() {
  const child = spawn(process.execPath, [join(root, "dist", "emulator", "bin.js"), "--port", "0", "--data-dir", join(work, "emulator-data")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.resume(); // request logs: not part of the story
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => resolve({ child, ...JSON.parse(line) }));
    child.once("exit", (code) => reject(new Error(`the emulator exited early (code ${code})`)));
  });
}

let emulator;
let env;
function pulumi(args, { quiet = false } = {}) {
  // Stack config lives next to the state (not in the repo); `stack` subcommands take no --config-file.
  const full = args[0] === "stack" ? args : [...args, "--config-file", configFile];
  const r = spawnSync(join(binDir, "pulumi"), full, {
    cwd: project,
    env,
    // Pulumi writes some diagnostics to stderr; one stream keeps the story in order (and capturable).
    stdio: quiet ? ["ignore", "pipe", "pipe"] : ["ignore", 1, 1],
    encoding: "utf8",
  });
  if (r.status !== 0) {
    if (quiet) process.stderr.write(r.stdout + r.stderr);
    throw new Error(`pulumi ${args.join(" ")} failed (exit ${r.status})`);
  }
  return quiet ? r.stdout : "";
}
const output = (name) => pulumi(["stack", "output", name], { quiet: true }).trim();
async function advance(jobId, body) {
  const res = await fetch(`${emulator.endpoint}/_emulator/jobs/${jobId}/advance`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  if (!res.ok) throw new Error(`emulator advance: HTTP ${res.status} ${await res.text()}`);
}

let failed = false;
try {
  emulator = await startEmulator();
  const [alice] = emulator.accounts;
  caption(`Local ${story === "iot" ? "IoT Jobs" : "Import/Export"} emulator at ${emulator.endpoint} (account ${alice.accountId}); state in ${stateDir}`);
  console.log(`  Dashboard: ${emulator.endpoint}/_emulator/ui — open it to watch the job move while the demo runs`);
  env = {
    ...process.env,
    PATH: `${binDir}:${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_HOME: join(work, "pulumi-home"),
    PULUMI_CONFIG_PASSPHRASE: "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    AWS_ACCESS_KEY_ID: alice.accessKeyId,
    AWS_SECRET_ACCESS_KEY: alice.secretAccessKey,
    AWS_REGION: "us-east-1",
  };
  pulumi(["stack", "init", "demo"], { quiet: true });
  // `stack init` takes no --config-file and writes Pulumi.demo.yaml (with the passphrase's salt) next to
  // Pulumi.yaml; move it beside the state so the repo stays clean.
  renameSync(join(project, "Pulumi.demo.yaml"), configFile);
  if (story === "iot") await iotStory(alice);
  else await importExportStory(story === "yaml");

  caption(`Done. Stack state lives in ${stateDir} (file:// backend, passphrase "demo"); the emulator journal in ${join(work, "emulator-data")}.`);
} catch (e) {
  failed = true;
  console.error(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  if (emulator?.child && emulator.child.exitCode === null) {
    const exited = new Promise((r) => emulator.child.once("exit", r));
    emulator.child.kill("SIGTERM");
    await exited;
  }
}
process.exit(failed ? 1 : 0);

/** The Import/Export story; `yaml`: told through examples/yaml-quickstart (Pulumi YAML) and the native plugin. */
async function importExportStory(yaml) {
  pulumi(["config", "set", "importexport:endpoint", emulator.endpoint], { quiet: true });
  // The plugin's detailed diff names each changed property (`[diff: ~manifest]`) and its warnings go to the job
  // itself (a Diagnostics entry under the job's name); `--diff` would print the manifest's lines instead.
  const preview = yaml ? ["preview"] : ["preview", "--diff"];
  if (yaml) console.log(`  Program: ${join(project, "Pulumi.yaml")} (Pulumi YAML) — the engine runs the plugin ${join(project, "node_modules", "pulumi-importexport", "bin", "pulumi-resource-importexport")}`);

  caption(`1. pulumi up — a new ${yaml ? "importexport:index:ImportExportJob" : "ImportExportJob"}: CreateJob (the job is Pending; the device has not been sent)`);
  pulumi(["up", "--yes", "--skip-preview"]);
  const firstJob = output("jobId");

  caption(`2. Edit the manifest (notificationEmail) — job ${firstJob} is still Pending, so preview plans an in-place update (UpdateJob)`);
  pulumi(["config", "set", "notificationEmail", "oncall@example.com"], { quiet: true });
  pulumi(preview);

  caption("3. pulumi up — UpdateJob; same JobId");
  pulumi(["up", "--yes", "--skip-preview"]);

  caption(`4. The device reaches the AWS facility and the transfer starts (job ${firstJob}: AtAWS, InProgress)`);
  await advance(firstJob, { locationCode: "AtAWS", progressCode: "Pending" });
  await advance(firstJob, { locationCode: "AtAWS", progressCode: "InProgress" });
  pulumi(["refresh", "--yes", "--skip-preview"]);

  caption(`5. Edit the manifest again — UpdateJob is no longer allowed once the transfer started, so preview plans a replacement${yaml ? " (the reason is a warning on the job)" : ""}`);
  pulumi(["config", "set", "notificationEmail", "records@example.com"], { quiet: true });
  pulumi(preview);

  caption(`6. pulumi up — a new job replaces ${firstJob}; the in-flight job is released from the stack, not cancelled (cancelInProgress is off)`);
  pulumi(["up", "--yes", "--skip-preview"]);
  console.log(`\n  job ${firstJob} → ${output("jobId")}`);

  caption("7. pulumi destroy — the Pending replacement job is cancelled (CancelJob)");
  pulumi(["destroy", "--yes", "--skip-preview"]);
}

/** A device reports its execution, as the device would (emulator admin API). */
async function report(jobId, thingName, status) {
  const res = await fetch(`${emulator.endpoint}/_emulator/iot/jobs/${jobId}/executions/${thingName}`, { method: "POST", body: JSON.stringify({ status }), headers: { "content-type": "application/json" } });
  if (!res.ok) throw new Error(`emulator IoT admin: HTTP ${res.status} ${await res.text()}`);
}

async function iotStory(account) {
  // The fleet: a thing group with three sensors (what `aws iot create-thing-group` etc. would do; README).
  const { IoTClient, CreateThingGroupCommand, CreateThingCommand, AddThingToThingGroupCommand } = await import("@aws-sdk/client-iot");
  const iot = new IoTClient({ endpoint: emulator.endpoint, region: "us-east-1", credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey } });
  const group = await iot.send(new CreateThingGroupCommand({ thingGroupName: "sensors" }));
  for (const thingName of ["sensor-1", "sensor-2", "sensor-3"]) {
    await iot.send(new CreateThingCommand({ thingName }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: "sensors", thingName }));
  }
  iot.destroy();
  pulumi(["config", "set", "importexport-iot:endpoint", emulator.endpoint], { quiet: true });
  pulumi(["config", "set", "thingGroupArn", group.thingGroupArn], { quiet: true });
  pulumi(["config", "set", "firmwareVersion", "2.4.0"], { quiet: true });

  caption(`1. pulumi up — a new IotJob for thing group sensors (3 things): CreateJob; the jobId is generated`);
  pulumi(["up", "--yes", "--skip-preview"]);
  const firstJob = output("jobId");

  caption(`2. Faster rollout, stricter abort criteria — UpdateJob changes them on job ${firstJob}, so preview plans an in-place update`);
  pulumi(["config", "set", "maximumPerMinute", "100"], { quiet: true });
  pulumi(["config", "set", "abortPercent", "5"], { quiet: true });
  pulumi(["preview", "--diff"]);

  caption("3. pulumi up — UpdateJob; same jobId");
  pulumi(["up", "--yes", "--skip-preview"]);

  caption(`4. Devices report: sensor-1 has installed the firmware, sensor-2 is installing it (job ${firstJob})`);
  await report(firstJob, "sensor-1", "SUCCEEDED");
  await report(firstJob, "sensor-2", "IN_PROGRESS");
  pulumi(["refresh", "--yes", "--skip-preview"]);

  caption("5. A new firmware version — the document goes to every device again, so preview plans a replacement");
  pulumi(["config", "set", "firmwareVersion", "2.5.0"], { quiet: true });
  pulumi(["preview", "--diff"]);

  caption(`6. pulumi up — a new job is created first; ${firstJob} is cancelled, and because sensor-2 is still installing, it is not deleted (no forceCancel)`);
  pulumi(["up", "--yes", "--skip-preview"]);
  console.log(`\n  job ${firstJob} → ${output("jobId")}`);

  caption("7. pulumi destroy — the new job is cancelled (CancelJob), then deleted (DeleteJob)");
  pulumi(["destroy", "--yes", "--skip-preview"]);
}
