/**
 * docs/provider.md's `pulumi.runtime.setMocks` example, run as written (issue 21, item 7): the block after the
 * `<!-- setMocks example -->` marker is type-checked against the built package and run in a fresh Node process
 * (setMocks is process-wide), so the documentation cannot drift from what works. Needs `npm run build` and the
 * node_modules/pulumi-importexport link (`node scripts/setup.mjs`).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, expect, it } from "vitest";

const root = join(__dirname, "..", "..", "..");
const dir = join(root, ".tmp", `mocks-example-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exampleSource(): string {
  const doc = readFileSync(join(root, "docs", "provider.md"), "utf8");
  const at = doc.indexOf("<!-- setMocks example -->");
  const block = /```ts\n([\s\S]*?)\n```/.exec(doc.slice(at));
  if (at < 0 || !block?.[1]) throw new Error("docs/provider.md has no setMocks example block");
  return block[1];
}

it("type-checks against the package and passes its own assertions", () => {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "example.ts");
  writeFileSync(file, exampleSource());
  const options: ts.CompilerOptions = { strict: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ["node"] };
  const program = ts.createProgram([file], options);
  const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  expect(problems).toEqual([]);

  const js = ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  writeFileSync(join(dir, "example.js"), js);
  const run = spawnSync(process.execPath, [join(dir, "example.js")], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  expect(run.stderr).toBe("");
  expect(run.stdout.trim()).toBe("program test passed");
  expect(run.status).toBe(0);
}, 120_000);
