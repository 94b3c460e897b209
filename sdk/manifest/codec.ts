/**
 * Manifest YAML codec: `parseManifest` (strict: duplicate keys, non-map roots and syntax errors are refused with
 * a line and column) and `stringifyManifest` (deterministic: the same manifest always gives the same text).
 *
 * Both sides use YAML's failsafe schema, so every scalar stays a string as written. That keeps
 * `manifestVersion: 2.0` as "2.0" (the core schema would turn it into the number 2) and `postalCode: 02134`
 * with its leading zero; the validator decides what a value means.
 *
 * A manifest of plain words is written and read without YAML (./plain-text), and the yaml library is loaded on first
 * use: a provider process that only handles such manifests never loads it (about 30 ms of CPU per process), and the
 * emulator's CreateJob reads one in microseconds instead of a YAML parse (35 % of its JavaScript time per CreateJob).
 */
import type * as Yaml from "yaml";
import type { LineCounter, YAMLError } from "yaml";
import { plainTextTree, plainTreeText } from "./plain-text";
import { CUSTOMS_OPTIONS, FREE_FORM_OPTIONS, MANIFEST_OPTIONS, OPERATION_OPTIONS, RETURN_ADDRESS_OPTIONS } from "./keys";
import { MAX_MANIFEST_BYTES, MAX_MANIFEST_DEPTH, MAX_MANIFEST_ENTRIES, manifestStructureProblem } from "./limits";
import type { Manifest } from "./types";

/** The manifest text is not a well-formed YAML map. Carries the service's code and where the problem is. */
export class ManifestSyntaxError extends Error {
  override readonly name = "ManifestSyntaxError";
  /** The service error code for this problem. */
  readonly code = "MalformedManifestException" as const;
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based column of the problem. */
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(`Your manifest is not well-formed: ${message} (line ${line}, column ${column})`);
    this.line = line;
    this.column = column;
    Object.setPrototypeOf(this, ManifestSyntaxError.prototype);
  }
}

/**
 * `stringifyManifest` was given a manifest no YAML text can represent: one that contains itself, or nests or
 * grows beyond the limits (`MAX_MANIFEST_DEPTH`, `MAX_MANIFEST_ENTRIES`). `validateManifest` reports the same.
 */
export class ManifestStructureError extends Error {
  override readonly name = "ManifestStructureError";
  /** The service error code validation reports for this problem. */
  readonly code = "MalformedManifestException" as const;
  /** The field at fault (`x[0]`), `""` for the manifest itself. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(message);
    this.path = path;
    Object.setPrototypeOf(this, ManifestStructureError.prototype);
  }
}

let library: typeof Yaml | undefined;
const yaml = (): typeof Yaml => (library ??= require("yaml") as typeof Yaml);

/** Yes/no options, by path; their values become booleans when they are a recognised spelling. */
const YES_NO_TOP = ["eraseDevice", "setContentEncodingForGzFiles"] as const;
const YES_NO_CUSTOMS = ["encryptedData", "requiresExportLicense"] as const;

/**
 * Reads a yes/no spelling: `yes`, `no`, `true`, `false` in any case. Anything else is `undefined` so that the
 * caller keeps the raw text and the validator can name it.
 */
export function parseYesNo(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const v = value.trim().toLowerCase();
  if (v === "yes" || v === "true") return true;
  if (v === "no" || v === "false") return false;
  return undefined;
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0] ?? text;
  // yaml appends " at line N, column M:" itself; our own message carries the position.
  return line.replace(/ at line \d+, column \d+:?$/, "").trim();
}

function syntaxError(err: YAMLError, lines: LineCounter): ManifestSyntaxError {
  const { line, col } = lines.linePos(err.pos[0]);
  // yaml turns a stack overflow on deep flow nesting (`[[[[...`) into this error; say what it means.
  const what = /call stack/i.test(err.message) ? `the manifest nests deeper than ${MAX_MANIFEST_DEPTH} levels` : firstLine(err.message);
  return new ManifestSyntaxError(what, line, col);
}

/**
 * One pass over the parsed tree, in document order: duplicate keys (a Set per map: yaml's own `uniqueKeys` compares
 * every key with every other, quadratic in the keys), aliases whose anchor does not come before them (yaml would
 * throw a bare ReferenceError later), the entry count and the nesting depth. Iterative: no stack to overflow.
 */
function checkTree(root: unknown, lines: LineCounter): void {
  const { isAlias, isMap, isNode, isScalar, isSeq } = yaml();
  const at = (node: unknown, message: string): ManifestSyntaxError => {
    const offset = isNode(node) && node.range ? node.range[0] : 0;
    const { line, col } = lines.linePos(offset);
    return new ManifestSyntaxError(message, line, col);
  };
  const anchors = new Set<string>();
  let entries = 0;
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (isAlias(node)) {
      if (!anchors.has(node.source)) throw at(node, `alias *${node.source} refers to no anchor (&${node.source} must come before it)`);
      continue;
    }
    if (!isNode(node)) continue;
    if (node.anchor) anchors.add(node.anchor);
    const children: unknown[] = [];
    if (isMap(node)) {
      const keys = new Set<string>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          const key = pair.key.value === null ? "\u0000null" : String(pair.key.value);
          if (keys.has(key)) throw at(pair.key, "duplicate key");
          keys.add(key);
        }
        children.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      children.push(...node.items);
    } else {
      continue;
    }
    entries += isMap(node) ? node.items.length : children.length;
    if (entries > MAX_MANIFEST_ENTRIES) throw at(node, `the manifest has more than ${MAX_MANIFEST_ENTRIES} entries (the limit)`);
    if (depth > MAX_MANIFEST_DEPTH) throw at(node, `the manifest nests deeper than ${MAX_MANIFEST_DEPTH} levels (the limit)`);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], depth: depth + 1 });
  }
}

/**
 * Parses manifest text into a `Manifest`.
 *
 * @throws ManifestSyntaxError (code `MalformedManifestException`) for invalid YAML, duplicate keys, an alias
 *   without its anchor, several documents, a root that is not a map, or a manifest beyond the limits
 *   (`MAX_MANIFEST_BYTES`, `MAX_MANIFEST_ENTRIES`, `MAX_MANIFEST_DEPTH`).
 */
export function parseManifest(text: string): Manifest {
  checkText(text);
  // Text exactly as the plain writer lays it out is read without YAML, to the tree the YAML parse would give.
  const plain = plainTextTree(text);
  return plain !== undefined ? (normalizeYesNo(plain) as Manifest) : parseYaml(text);
}

/**
 * {@link parseManifest} through the YAML library always, never the plain-words reader: what the tests hold
 * ./plain-text's reader to.
 */
export function parseManifestWithYaml(text: string): Manifest {
  checkText(text);
  return parseYaml(text);
}

/** Refuses what is not text, or longer than {@link MAX_MANIFEST_BYTES}, before any parse. */
function checkText(text: unknown): asserts text is string {
  if (typeof text !== "string") throw new ManifestSyntaxError("the manifest must be text", 1, 1);
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_MANIFEST_BYTES) {
    throw new ManifestSyntaxError(`the manifest is ${bytes} bytes; at most ${MAX_MANIFEST_BYTES} (${MAX_MANIFEST_BYTES / 1024} KiB) are accepted`, 1, 1);
  }
}

function parseYaml(text: string): Manifest {
  // failsafe: all scalars are strings. Duplicate keys are checked by checkTree (linear), not by yaml's uniqueKeys.
  // prettyErrors off: it re-reads the source for every error, and positions come from the LineCounter anyway.
  const { LineCounter, isMap, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { schema: "failsafe", uniqueKeys: false, prettyErrors: false, lineCounter: lines });
  const first = doc.errors[0];
  if (first) throw syntaxError(first, lines);
  if (!isMap(doc.contents)) {
    const offset = doc.contents?.range?.[0] ?? 0;
    const { line, col } = lines.linePos(offset);
    const found = doc.contents === null ? "an empty document" : "a value that is not a map of options";
    throw new ManifestSyntaxError(`the manifest must be a map of options, found ${found}`, line, col);
  }
  checkTree(doc.contents, lines);
  // Keys are strings under failsafe; yaml defines `__proto__` as an own property, never as the prototype.
  let raw: Record<string, unknown>;
  try {
    raw = doc.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
  } catch (e) {
    // yaml reports alias trouble (too many expansions: a "billion laughs" manifest) as a ReferenceError.
    if (e instanceof ReferenceError) throw new ManifestSyntaxError(firstLine(e.message), 1, 1);
    throw e;
  }
  return normalizeYesNo(raw) as Manifest;
}

function normalizeYesNo(m: Record<string, unknown>): Record<string, unknown> {
  for (const key of YES_NO_TOP) {
    const b = parseYesNo(m[key]);
    if (b !== undefined) m[key] = b;
  }
  const customs = m["customs"];
  if (customs !== null && typeof customs === "object" && !Array.isArray(customs)) {
    const c = customs as Record<string, unknown>;
    for (const key of YES_NO_CUSTOMS) {
      const b = parseYesNo(c[key]);
      if (b !== undefined) c[key] = b;
    }
  }
  return m;
}

/** Order of the top-level options in written manifests: the order of the Developer Guide's examples. */
const TOP_ORDER = MANIFEST_OPTIONS;
const ADDRESS_ORDER = RETURN_ADDRESS_OPTIONS;
const CUSTOMS_ORDER = CUSTOMS_OPTIONS;
const OPERATION_ORDER = OPERATION_OPTIONS;
/** Free-form maps (extension → type, key → replacement): written with keys sorted. */
const FREE_MAPS = FREE_FORM_OPTIONS;

function scalarText(value: unknown): unknown {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return value;
}

/** Known keys first in `order`, then unknown keys sorted by code unit; `undefined`/`null` values are left out. */
function ordered(obj: Record<string, unknown>, order: readonly string[], child: (key: string, v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const known = new Set(order);
  const keys = [...order.filter((k) => Object.prototype.hasOwnProperty.call(obj, k)), ...Object.keys(obj).filter((k) => !known.has(k)).sort()];
  for (const key of keys) {
    const value = obj[key];
    if (value === undefined || value === null) continue;
    Object.defineProperty(out, key, { value: child(key, value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") return ordered(value as Record<string, unknown>, [], (_k, v) => plain(v));
  return scalarText(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Writes a manifest as YAML with a stable key order: known options in the Developer Guide's order, unknown ones
 * after them sorted by name, free-form maps sorted by key, list order kept (operations run in order). Booleans are
 * written `yes`/`no`. `stringifyManifest(parseManifest(stringifyManifest(m)))` equals `stringifyManifest(m)`.
 */
export function stringifyManifest(m: Manifest): string {
  return writtenManifest(m).text;
}

/**
 * {@link stringifyManifest}'s text, and, when it was written without YAML (./plain-text: every key and value a plain
 * word), what {@link parseManifest} returns for that text, built from the written tree instead of parsing it (a new
 * object the caller owns).
 *
 * @throws ManifestStructureError as stringifyManifest does.
 */
export function writtenManifest(m: Manifest): { text: string; parsed?: Manifest } {
  const tree = canonicalTree(m);
  const text = plainTreeText(tree);
  // Under the failsafe schema a plain text's parse is its tree: the same maps, lists and words, in the same order.
  if (text !== undefined) return { text, parsed: normalizeYesNo(tree) as Manifest };
  return { text: documentText(tree) };
}

/** A manifest tree ({@link canonicalTree}) written by the YAML library: the path for all but plain words. */
function documentText(tree: Record<string, unknown>): string {
  return new (yaml().Document)(tree, { schema: "failsafe" }).toString({ lineWidth: 0, indentSeq: true });
}

/**
 * The text the YAML library writes for `m`, never the plain-words path: what the tests hold ./plain-text's writer
 * to, byte for byte.
 */
export function yamlDocumentText(m: Manifest): string {
  return documentText(canonicalTree(m));
}

/**
 * The manifest as {@link stringifyManifest} writes it, before it becomes text: keys in the written order, every scalar
 * as its text (`yes`/`no`, numbers spelled out), empty options left out.
 *
 * @throws ManifestStructureError for a manifest that contains itself or is beyond the limits.
 */
export function canonicalTree(m: Manifest): Record<string, unknown> {
  const problem = manifestStructureProblem(m);
  if (problem !== undefined) throw new ManifestStructureError(problem.path, problem.message);
  return ordered(m as Record<string, unknown>, TOP_ORDER, (key, value) => {
    if (key === "returnAddress" && isObject(value)) return ordered(value, ADDRESS_ORDER, (_k, v) => plain(v));
    if (key === "customs" && isObject(value)) return ordered(value, CUSTOMS_ORDER, (_k, v) => plain(v));
    if (key === "operations" && Array.isArray(value)) {
      return value.map((op) => (isObject(op) ? ordered(op, OPERATION_ORDER, (_k, v) => plain(v)) : plain(op)));
    }
    if (FREE_MAPS.has(key) && isObject(value)) return plain(value);
    return plain(value);
  });
}
