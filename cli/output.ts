/**
 * Output formats of the `importexport` command, as the AWS CLI prints them:
 * - `json`: the operation's output with the API member names, 4-space indented, dates as ISO-8601, no `$metadata`;
 * - `text`: tab-separated lines (scalars of an object in key order, lists one line per entry prefixed by the
 *   member name in upper case), so `cut` and `awk` work on it;
 * - `table`: a box-drawn table for people: an object's scalars as key/value rows, each list as its own section.
 */
import { operations, type OperationName } from "../sdk/model";

/** The three `--output` formats. */
export const outputFormats = ["json", "text", "table"] as const;
/** An `--output` format. */
export type OutputFormat = (typeof outputFormats)[number];

/** A JSON-like value after {@link toPlain}: dates are strings, `undefined` members are gone. */
export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };
type PlainObject = { [key: string]: PlainValue };

/** ISO-8601 UTC without milliseconds when they are zero, as the service sends timestamps (`2015-05-27T18:58:21Z`). */
export function formatTimestamp(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

/** Converts an SDK value to plain JSON data: Dates become ISO strings, `undefined` and `$metadata` disappear. */
export function toPlain(value: unknown): PlainValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return formatTimestamp(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === "object") {
    const out: PlainObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || k === "$metadata") continue;
      out[k] = toPlain(v);
    }
    return out;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return String(value);
}

/**
 * An operation's output as plain data with its members in the model's order (what the service sends, and what
 * `aws ... --output json` shows); members the model does not know come last.
 */
export function operationResult(operation: OperationName, output: object): PlainObject {
  const plain = toPlain(output) as PlainObject;
  const ordered: PlainObject = {};
  for (const name of Object.keys(operations[operation].output)) {
    const v = plain[name];
    if (v !== undefined) ordered[name] = v;
  }
  for (const [k, v] of Object.entries(plain)) if (!(k in ordered)) ordered[k] = v;
  return ordered;
}

function isObject(v: PlainValue | undefined): v is PlainObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
function isScalar(v: PlainValue | undefined): boolean {
  return v === null || v === undefined || typeof v !== "object";
}

/** A scalar as the AWS CLI's text and table modes show it: Python's spelling of booleans and null. */
export function scalarText(v: PlainValue | undefined): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  return String(v);
}

/** A table cell: a trailing newline (SignatureFileContents has one) would only add an empty line. */
function cellText(v: PlainValue | undefined): string {
  return scalarText(v).replace(/\n+$/, "");
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// text

/** Formats data in the AWS CLI's text mode. Ends with a newline unless there is nothing to print. */
export function formatText(data: PlainValue): string {
  const lines: string[] = [];
  textValue(data, undefined, undefined, lines);
  return lines.map((l) => `${l}\n`).join("");
}

function textValue(v: PlainValue, identifier: string | undefined, scalarKeys: string[] | undefined, lines: string[]): void {
  if (Array.isArray(v)) textList(v, identifier, lines);
  else if (isObject(v)) textObject(v, identifier, scalarKeys, lines);
  else lines.push(scalarText(v));
}

function textObject(o: PlainObject, identifier: string | undefined, scalarKeys: string[] | undefined, lines: string[]): void {
  // Inside a list, every entry prints the same columns (the union of the entries' scalar members), so the
  // columns line up even when an entry lacks a member ("None").
  const keys = scalarKeys ?? Object.keys(o).filter((k) => isScalar(o[k])).sort(byName);
  const nested = Object.keys(o).filter((k) => !keys.includes(k) && !isScalar(o[k])).sort(byName);
  if (keys.length > 0) {
    const cells = keys.map((k) => scalarText(o[k]));
    lines.push((identifier !== undefined ? [identifier.toUpperCase(), ...cells] : cells).join("\t"));
  }
  for (const k of nested) textValue(o[k] as PlainValue, k, undefined, lines);
}

function textList(list: PlainValue[], identifier: string | undefined, lines: string[]): void {
  if (list.length === 0) return;
  if (list.some(isObject)) {
    const keys = new Set<string>();
    for (const e of list) if (isObject(e)) for (const [k, v] of Object.entries(e)) if (isScalar(v)) keys.add(k);
    const columns = [...keys].sort(byName);
    for (const e of list) textValue(e, identifier, columns, lines);
    return;
  }
  const scalars = list.filter((e) => isScalar(e));
  const nested = list.filter((e) => !isScalar(e));
  if (scalars.length > 0) {
    if (identifier !== undefined) for (const s of scalars) lines.push(`${identifier.toUpperCase()}\t${scalarText(s)}`);
    else lines.push(scalars.map(scalarText).join("\t"));
  }
  for (const e of nested) textValue(e, identifier, undefined, lines);
}

// ---------------------------------------------------------------------------------------------------------------
// table

/** One section of a table: a title across the whole width, or a grid of cells (optionally with a header row). */
type Block = { kind: "title"; text: string } | { kind: "grid"; header?: string[]; rows: string[][] };

/** Formats data as a box-drawn table titled `title` (the operation name). */
export function formatTable(title: string, data: PlainValue): string {
  const blocks: Block[] = [{ kind: "title", text: title }];
  tableBlocks(data, blocks, undefined);
  return renderBlocks(blocks);
}

function tableBlocks(v: PlainValue, blocks: Block[], title: string | undefined): void {
  if (isObject(v)) {
    const scalars = Object.keys(v).filter((k) => isScalar(v[k])).sort(byName);
    const nested = Object.keys(v).filter((k) => !isScalar(v[k])).sort(byName);
    if (title !== undefined && (scalars.length > 0 || nested.length === 0)) blocks.push({ kind: "title", text: title });
    if (scalars.length > 0) blocks.push({ kind: "grid", rows: scalars.map((k) => [k, cellText(v[k])]) });
    for (const k of nested) tableBlocks(v[k] as PlainValue, blocks, title !== undefined ? `${title}.${k}` : k);
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return;
    if (title !== undefined) blocks.push({ kind: "title", text: title });
    if (v.every(isObject)) {
      const objects = v as PlainObject[];
      const columns = [...new Set(objects.flatMap((o) => Object.keys(o).filter((k) => isScalar(o[k]))))].sort(byName);
      if (columns.length > 0) blocks.push({ kind: "grid", header: columns, rows: objects.map((o) => columns.map((c) => cellText(o[c]))) });
      objects.forEach((o, i) => {
        for (const k of Object.keys(o).filter((key) => !isScalar(o[key])).sort(byName)) {
          tableBlocks(o[k] as PlainValue, blocks, `${title ?? ""}[${i}].${k}`);
        }
      });
      return;
    }
    blocks.push({ kind: "grid", rows: v.map((e) => [isScalar(e) ? cellText(e) : JSON.stringify(e)]) });
    return;
  }
  if (title !== undefined) blocks.push({ kind: "title", text: title });
  blocks.push({ kind: "grid", rows: [[cellText(v)]] });
}

/** Display width of a cell: its longest line (values such as SignatureFileContents span several lines). */
function cellWidth(cell: string): number {
  return Math.max(0, ...cell.split("\n").map((l) => l.length));
}

function gridWidths(b: Extract<Block, { kind: "grid" }>): number[] {
  const rows = b.header ? [b.header, ...b.rows] : b.rows;
  const n = Math.max(...rows.map((r) => r.length));
  return Array.from({ length: n }, (_, i) => Math.max(1, ...rows.map((r) => cellWidth(r[i] ?? ""))));
}

/** Outer width of a grid with these column widths: `| a | b |`. */
function outerWidth(widths: number[]): number {
  return widths.reduce((s, w) => s + w + 3, 1);
}

function renderBlocks(blocks: Block[]): string {
  const widths = blocks.map((b) => (b.kind === "grid" ? gridWidths(b) : [b.text.length]));
  const total = Math.max(...widths.map(outerWidth));
  const out: string[] = [];
  const rule = (ws: number[]): string => `+${ws.map((w) => "-".repeat(w + 2)).join("+")}+`;
  let previousRule = "";
  const pushRule = (r: string): void => {
    // Two blocks meet on one rule: keep the second block's (its column joints), replacing the first's.
    if (out.length > 0 && out[out.length - 1] === previousRule) out.pop();
    out.push(r);
    previousRule = r;
  };
  blocks.forEach((b, i) => {
    const ws = [...(widths[i] ?? [1])];
    // Every block spans the full width: the last column absorbs the difference.
    const last = ws.length - 1;
    ws[last] = (ws[last] ?? 0) + (total - outerWidth(ws));
    if (b.kind === "title") {
      const inner = total - 4;
      const left = Math.floor((inner - b.text.length) / 2);
      pushRule(rule([inner]));
      out.push(`| ${" ".repeat(left)}${b.text}${" ".repeat(inner - left - b.text.length)} |`);
      pushRule(rule([inner]));
      return;
    }
    pushRule(rule(ws));
    const emit = (row: string[]): void => {
      const cells = ws.map((_, c) => (row[c] ?? "").split("\n"));
      const height = Math.max(...cells.map((l) => l.length));
      for (let line = 0; line < height; line++) {
        out.push(`|${cells.map((l, c) => ` ${(l[line] ?? "").padEnd(ws[c] ?? 0)} `).join("|")}|`);
      }
    };
    if (b.header) {
      emit(b.header);
      pushRule(rule(ws));
    }
    for (const row of b.rows) emit(row);
    pushRule(rule(ws));
  });
  return out.map((l) => `${l}\n`).join("");
}

/** Formats an operation's result in one of the three formats. */
export function formatOutput(format: OutputFormat, title: string, data: PlainValue): string {
  if (format === "json") return `${JSON.stringify(data, null, 4)}\n`;
  if (format === "text") return formatText(data);
  return formatTable(title, data);
}
