/**
 * A provider process that only meets manifests of plain words never loads the YAML library (sdk/manifest/codec loads
 * it on first use; issue 25: about 30 ms of CPU per process of every `up`). A fresh Node process on the built package
 * runs ImportExportJob's check of a new job during an update (no service call), of a manifest object and of the text
 * it was written as, and reports whether `yaml` is in its module cache; a manifest that needs quoting loads it. Needs `npm run build`.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

const root = join(__dirname, "..", "..", "..");

const SCRIPT = String.raw`
const runtime = require(${JSON.stringify(join(root, "dist", "provider", "importexport", "runtime.js"))});
const yamlLoaded = () => Object.keys(require.cache).some((k) => /[\\/]node_modules[\\/]yaml[\\/]/.test(k));
(async () => {
  const values = { "importexport:endpoint": "http://127.0.0.1:9", "importexport:accessKeyId": "AKID", "importexport:secretAccessKey": "secret" };
  await runtime.configure({ config: { get: (k) => values[k] } });
  const manifest = (deviceId) => ({ manifestVersion: "2.0", deviceId, eraseDevice: true, bucket: "photos", returnAddress: { name: "Jane Roe", street1: "123 Any Street", city: "Seattle", stateOrProvince: "WA", postalCode: 98101, phoneNumber: "206-555-1111", country: "USA" } });
  const plain = await runtime.check({}, { jobType: "Import", manifest: manifest("DEVICE-1"), __inUpdate: true });
  const afterPlain = yamlLoaded();
  const asText = await runtime.check({}, { jobType: "Import", manifest: plain.inputs.manifest.replace("DEVICE-1", "DEVICE-2"), __inUpdate: true });
  const afterText = yamlLoaded();
  const quoted = await runtime.check({}, { jobType: "Import", manifest: manifest("#1: quoted"), __inUpdate: true });
  console.log(JSON.stringify({ afterPlain, afterQuoted: yamlLoaded(), afterText, textYaml: asText.inputs.manifest, failures: [...(plain.failures ?? []), ...(asText.failures ?? []), ...(quoted.failures ?? [])], plainYaml: plain.inputs.manifest, quotedYaml: quoted.inputs.manifest }));
})();
`;

it("check of a plain manifest, as an object or as its text, leaves the YAML library unloaded; one that needs quoting loads it", () => {
  const r = spawnSync(process.execPath, ["-e", SCRIPT], { cwd: root, encoding: "utf8", timeout: 60_000 });
  expect(r.stderr).toBe("");
  const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
  expect(out["failures"]).toEqual([]);
  expect(out["plainYaml"]).toContain("deviceId: DEVICE-1\n");
  expect(out["afterPlain"]).toBe(false);
  expect(out["textYaml"]).toContain("deviceId: DEVICE-2\n");
  expect(out["afterText"]).toBe(false);
  expect(out["quotedYaml"]).toContain('deviceId: "#1: quoted"\n');
  expect(out["afterQuoted"]).toBe(true);
});
