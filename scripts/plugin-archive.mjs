#!/usr/bin/env node
// Builds the native plugin's archive for `pulumi plugin install resource importexport <version> --file <archive>`
// (docs/native.md, "Discovery"). The CLI unpacks the archive into $PULUMI_HOME/plugins/resource-importexport-v<version>/
// and the engine runs `pulumi-resource-importexport` from there, so the archive has to hold everything the plugin
// needs. It holds two files:
//   pulumi-resource-importexport  the plugin: dist/provider/native/main.js and every module it loads, bundled by
//                                 esbuild into one executable script (#!/usr/bin/env node; Node >= 20 on PATH)
//   package.json                  name and version only (the plugin answers GetPluginInfo with this version)
// A bundle rather than dist/ plus the production node_modules: one file of a few MB instead of a tree of ~100 MB
// (@pulumi/pulumi and the AWS SDK whole), and Node parses one file instead of resolving hundreds at each start.
// The plugin has no native addon, so the archive serves every OS and architecture Node runs on.
//
//   npm run plugin:archive [-- --out DIR]     (default DIR: .tmp/plugin; needs a built dist/)
//
// Prints the archive's path. Used by test/engine/native-plugin-install.test.ts (buildPluginArchive).
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The plugin's executable name, as the engine looks it up. */
export const PLUGIN_EXECUTABLE = "pulumi-resource-importexport";

/** The entry the bundle starts from: the same call as bin/pulumi-resource-importexport, on the bundled main. */
const ENTRY = `require("./dist/provider/native/main.js").main(process.argv.slice(2)).catch((e) => {
  process.stderr.write("${PLUGIN_EXECUTABLE} could not start: " + (e && e.message ? e.message : String(e)) + "\\n");
  process.exit(1);
});
`;

/**
 * Bundles the plugin into `outDir`/stage and packs it as `outDir`/pulumi-resource-importexport-v<version>.tar.gz.
 * Returns the archive's path, the version, and the bundle's size in bytes.
 */
export async function buildPluginArchive({ outDir = join(root, ".tmp", "plugin") } = {}) {
  if (!existsSync(join(root, "dist", "provider", "native", "main.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  const { name, version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const stage = join(outDir, "stage");
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const executable = join(stage, PLUGIN_EXECUTABLE);
  const { build } = await import("esbuild");
  await build({
    stdin: { contents: ENTRY, resolveDir: root, sourcefile: "plugin-entry.js", loader: "js" },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    legalComments: "none",
    banner: { js: "#!/usr/bin/env node" },
    outfile: executable,
    logLevel: "warning",
  });
  chmodSync(executable, 0o755);
  writeFileSync(join(stage, "package.json"), `${JSON.stringify({ name, version, private: true }, null, 2)}\n`);
  const archive = join(outDir, `${PLUGIN_EXECUTABLE}-v${version}.tar.gz`);
  execFileSync("tar", ["-czf", archive, "-C", stage, PLUGIN_EXECUTABLE, "package.json"]);
  return { archive, version, bundleBytes: readFileSync(executable).length, executable };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const i = process.argv.indexOf("--out");
  const outDir = i > 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : undefined;
  buildPluginArchive(outDir ? { outDir } : {}).then(
    ({ archive }) => console.log(archive),
    (e) => {
      console.error(`plugin:archive: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
