/**
 * `npm run demo -- yaml`: the Import/Export story through a Pulumi YAML program (examples/yaml-quickstart) and the
 * native plugin. It must exit 0, show `manifest` as an in-place update while the job is Pending and as a replace
 * once the transfer started, with the reason as a warning on the job (not on the stack), and leave no process behind.
 */
import { expect, it } from "vitest";
import { expectTidyEnd, runDemo } from "./helpers/demo";
import { requireYamlHost } from "./helpers/yaml-project";

it("npm run demo -- yaml tells the whole story through Pulumi YAML and the native plugin", async () => {
  requireYamlHost(); // a missing YAML host fails here, saying how to get one
  const { status, out, stderr, section } = runDemo(["yaml"]);
  expect(status, `${out}\n${stderr}`).toBe(0);
  expect(out).toMatch(/Program: \S+\/program\/Pulumi\.yaml \(Pulumi YAML\)/);

  // 1. The YAML program's resource is the plugin's type, created with CreateJob.
  expect(section(1)).toMatch(/\+ {2}importexport:index:ImportExportJob photos created/);
  expect(section(1)).toMatch(/\+ 2 created/);
  const firstJob = /jobId\s*: "([1-9A-NP-Z]{5})"/.exec(section(1))?.[1];
  expect(firstJob).toBeDefined();

  // 2–3. While Pending, the plugin's detailed diff makes `manifest` an in-place update; up runs UpdateJob, same JobId.
  expect(section(2)).toMatch(/~ {2}importexport:index:ImportExportJob photos update \[diff: ~manifest\]/);
  expect(section(2)).toMatch(/~ 1 to update/);
  expect(section(2)).not.toMatch(/replace/);
  expect(section(3)).toMatch(/~ 1 updated/);
  expect(section(3)).toContain(`jobId        : "${firstJob}"`);

  // 5. After the transfer started, the same edit is a replace of `manifest`, and the reason is a warning attached
  //    to the job (its Diagnostics entry), not to the stack.
  const replacePlan = section(5);
  expect(replacePlan).toMatch(/\+- importexport:index:ImportExportJob photos replace \[diff: ~manifest\]/);
  expect(replacePlan).toMatch(/\+-1 to replace/);
  const reason = `warning: Job ${firstJob} will be replaced: manifest can change in place only while Pending, and it is InProgress.`;
  expect(replacePlan).toContain(`Diagnostics:\n  importexport:index:ImportExportJob (photos):\n    ${reason}`);
  expect(replacePlan).not.toMatch(/pulumi:pulumi:Stack \([^)]*\):\n\s+warning/);

  // 6. The replacement is created first; the started job is released with a warning on the job, not cancelled.
  expect(section(6)).toMatch(/\+-1 replaced/);
  expect(section(6)).toMatch(/importexport:index:ImportExportJob \(photos\):[^]*was not cancelled/);
  const secondJob = new RegExp(`job ${firstJob} → ([1-9A-NP-Z]{5})`).exec(section(6))?.[1];
  expect(secondJob).toBeDefined();
  expect(secondJob).not.toBe(firstJob);

  // 7. destroy cancels the Pending replacement.
  expect(section(7)).toMatch(/- 2 deleted/);
  // The state's place is named, no secret reached the output, and the emulator it started is gone.
  await expectTidyEnd(out);
}, 420_000);
