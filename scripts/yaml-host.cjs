// Where the Pulumi YAML language host (`pulumi-language-yaml`) is: the one lookup scripts/setup.mjs,
// scripts/demo.mjs and the YAML tests (test/helpers/yaml-project.ts) make, each with its own message when there is
// none. CommonJS, so that the scripts (ES modules, run before node_modules and dist/ exist: Node built-ins only) and
// the tests' CommonJS TypeScript can both load it synchronously. Types: ./yaml-host.d.cts.
"use strict";
const { existsSync } = require("node:fs");
const { delimiter, join } = require("node:path");

/** The directories to search, in order: `binDir` (beside `pulumi`), then each entry of `path` (PATH). */
function yamlHostDirs(binDir, path = process.env.PATH ?? "") {
  return [binDir, ...path.split(delimiter).filter(Boolean)];
}

/** The first `pulumi-language-yaml` in `dirs`, or undefined when none has one. */
function findYamlHost(dirs) {
  return dirs.map((d) => join(d, "pulumi-language-yaml")).find((f) => existsSync(f));
}

exports.yamlHostDirs = yamlHostDirs;
exports.findYamlHost = findYamlHost;
