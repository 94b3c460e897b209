/**
 * The emulator's layout, checked on the sources: a core that names no service, one folder per service behind the
 * registry (emulator/services.ts), no import cycle anywhere in emulator/ or sdk/ (computed from the real import graph
 * of the .ts files), nothing in the emulator importing the provider, and inside Import/Export the moto-style split
 * (the backend never reaches into the wire edge).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");
const emulator = join(root, "emulator");

/** The module specifiers a TypeScript file imports: static imports and re-exports (type-only too), `import("…")`, `require("…")`. */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms), ...text.matchAll(/^import\s+"([^"]+)"/gm), ...text.matchAll(/\b(?:import|require)\(\s*"([^"]+)"\s*\)/g)];
  return found.map((m) => m[1] ?? "");
}

/** Every .ts file under `dir` (tests and declaration files aside). */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The file a relative specifier names (`./x` or `./x.js` → x.ts or x/index.ts); undefined for packages and built-ins. */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  // `./x.js` names x.ts too (how ES modules spell a TypeScript import).
  const base = resolve(dirname(from), spec.replace(/\.js$/, ""));
  for (const candidate of [`${base}.ts`, join(base, "index.ts"), base]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  throw new Error(`${relative(root, from)} imports ${spec}, which names no file`);
}

/** The import graph of `files`: file → the files (among them or not) it imports. */
function importGraph(files: string[]): Map<string, string[]> {
  return new Map(files.map((file) => [file, imports(file).flatMap((spec) => resolveImport(file, spec) ?? [])]));
}

/** The import cycles of a graph: its strongly connected components with more than one file, or a file importing itself (Tarjan). */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

/** The top-level unit of emulator/ a file belongs to: its first folder (`core`, `iot`, …) or its own name (`index.ts`). */
const unitOf = (file: string): string => relative(emulator, file).split("/")[0] ?? "";

const emulatorFiles = tsFiles(emulator);
const emulatorGraph = importGraph(emulatorFiles);
const sdkGraph = importGraph(tsFiles(join(root, "sdk")));
const rel = (files: string[]): string[] => files.map((f) => relative(root, f));

describe("emulator layout: the import graph", () => {
  it("the cycle finder finds cycles (a 3-file loop, a self-import) and passes a tree", () => {
    expect(importCycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]))).toEqual([["a", "b", "c"]]);
    expect(importCycles(new Map([["a", ["a"]]]))).toEqual([["a"]]);
    expect(importCycles(new Map([["a", ["b", "c"]], ["b", ["c"]], ["c", []]]))).toEqual([]);
  });

  it("reads the real imports (the registry imports each service; the server imports no service)", () => {
    expect(emulatorFiles.length).toBeGreaterThan(30);
    expect(rel(emulatorGraph.get(join(emulator, "services.ts")) ?? [])).toEqual(
      expect.arrayContaining(["emulator/importexport/index.ts", "emulator/iot/index.ts", "emulator/sts/index.ts"]),
    );
  });

  it("no import cycle among the emulator's files, nor among the SDK's", () => {
    expect(importCycles(emulatorGraph).map(rel)).toEqual([]);
    expect(importCycles(sdkGraph).map(rel)).toEqual([]);
  });

  it("no import cycle between the emulator's folders (core, each service, the registry, the entry points)", () => {
    const units = new Map<string, Set<string>>();
    for (const [file, targets] of emulatorGraph) {
      const from = unitOf(file);
      const set = units.get(from) ?? new Set<string>();
      for (const to of targets) if (to.startsWith(emulator) && unitOf(to) !== from) set.add(unitOf(to));
      units.set(from, set);
    }
    expect(importCycles(new Map([...units].map(([k, v]) => [k, [...v]])))).toEqual([]);
  });

  it("nothing in the emulator imports the provider (it sits below it, beside the SDK)", () => {
    for (const [file, targets] of emulatorGraph) {
      for (const to of targets) expect([relative(root, file), relative(root, to)]).not.toEqual([relative(root, file), expect.stringMatching(/^provider\//)]);
    }
  });

  it("the core names no service: it imports nothing from a service folder, the registry or the entry points", () => {
    for (const [file, targets] of emulatorGraph) {
      if (unitOf(file) !== "core") continue;
      for (const to of targets) if (to.startsWith(emulator)) expect([relative(root, file), unitOf(to)]).toEqual([relative(root, file), "core"]);
    }
  });

  it("every folder beside core/ and ui/ is a service: it has an index.ts and one line in the registry; services import no other service", () => {
    const folders = readdirSync(emulator).filter((name) => statSync(join(emulator, name)).isDirectory() && name !== "core" && name !== "ui");
    expect(folders).toEqual(expect.arrayContaining(["importexport", "iot", "sts"]));
    const registry = readFileSync(join(emulator, "services.ts"), "utf8");
    for (const folder of folders) {
      expect(existsSync(join(emulator, folder, "index.ts"))).toBe(true);
      expect(registry).toContain(`from "./${folder}"`);
      for (const file of emulatorFiles.filter((f) => unitOf(f) === folder)) {
        for (const to of emulatorGraph.get(file) ?? []) {
          if (to.startsWith(emulator)) expect([relative(root, file), unitOf(to)]).toEqual([relative(root, file), expect.stringMatching(new RegExp(`^(core|${folder})$`))]);
        }
      }
    }
  });
});

describe("emulator layout: inside the services", () => {
  const backend = join(emulator, "importexport", "backend");
  const backendFiles = readdirSync(backend).filter((f) => f.endsWith(".ts"));

  it("the Import/Export backend imports nothing from its wire edge, the Query edge or the SDK's protocol modules", () => {
    expect(backendFiles).toEqual(expect.arrayContaining(["index.ts", "job.ts", "lifecycle.ts"]));
    expect(imports(join(backend, "index.ts"))).toEqual(expect.arrayContaining(["../../core/accounts", "../../../sdk/types"]));
    for (const file of backendFiles) {
      for (const spec of imports(join(backend, file))) {
        expect([file, spec]).not.toEqual([file, expect.stringMatching(/(^|\/)wire$|query\/(edge|form|xml)$|sdk\/protocol\//)]);
      }
    }
  });

  it("accounts are core, not backend code: auth and the backend both import them from emulator/core/accounts", () => {
    expect(backendFiles).not.toContain("accounts.ts");
    expect(imports(join(emulator, "core", "auth", "index.ts"))).toContain("../accounts");
  });

  it("the IoT split: backend, lifecycle and records never import the wire edge (http.ts) or the server", () => {
    const dir = join(emulator, "iot");
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !["http.ts", "admin.ts", "index.ts"].includes(f));
    expect(files).toEqual(expect.arrayContaining(["backend.ts", "lifecycle.ts", "records.ts", "errors.ts"]));
    for (const file of files) {
      for (const spec of imports(join(dir, file))) expect([file, spec]).not.toEqual([file, expect.stringMatching(/^\.\/http$|\/server$|\/wire$/)]);
    }
  });

  it("one IoT model: it and its validator live in sdk/iot, which imports neither the emulator nor the provider; both use it", () => {
    const emulatorIot = readdirSync(join(emulator, "iot"));
    expect(emulatorIot).not.toContain("model.ts");
    expect(emulatorIot).not.toContain("validate.ts");
    const sdkIot = join(root, "sdk", "iot");
    for (const file of readdirSync(sdkIot).filter((f) => f.endsWith(".ts"))) {
      for (const spec of imports(join(sdkIot, file))) expect([file, spec]).not.toEqual([file, expect.stringMatching(/emulator|provider|@aws-sdk|@pulumi/)]);
    }
    expect(imports(join(emulator, "iot", "http.ts"))).toEqual(expect.arrayContaining(["../../sdk/iot/model", "../../sdk/iot/validate"]));
    expect(imports(join(emulator, "iot", "backend.ts"))).toContain("../../sdk/iot/validate");
  });
});
