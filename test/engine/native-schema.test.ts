/**
 * `pulumi package get-schema` on the plugin executable (the real CLI starts it, asks GetSchema, stops it): the schema
 * a user or a code generator sees names the package, the resource token, the provider's inputs and the secrets.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { importExportPackage } from "../../provider/native/main";
import { packageSchema } from "../../provider/native/schema";
import { pulumiBinDir, repoRoot } from "./harness";
import { pluginDir } from "./native-harness";

const home = mkdtempSync(join(repoRoot, ".tmp", "native-schema-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

it("pulumi package get-schema prints the plugin's schema", async () => {
  const plugin = join(pluginDir, "pulumi-resource-importexport");
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      join(pulumiBinDir(), "pulumi"),
      ["package", "get-schema", plugin],
      { env: { ...process.env, PULUMI_HOME: home, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: 120_000 },
      (e, out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve(out)),
    ),
  );
  const schema = JSON.parse(stdout);
  // What the CLI printed is the schema the package describes (the CLI may reorder keys).
  expect(schema).toEqual(packageSchema(importExportPackage()));
  expect(schema.resources["importexport:index:ImportExportJob"].properties.signing.secret).toBe(true);
  expect(schema.provider.inputProperties.secretAccessKey.secret).toBe(true);
}, 180_000);
