/**
 * Query protocol, both directions, from one member list (sdk/model.ts):
 * - `serializeQuery`: an operation's input → the form parameters (`Action`, `Version`, members), with the
 *   client-side checks botocore makes (required members present, values of the member's type, no unknown members);
 * - `deserializeQuery`: decoded form parameters → the typed input, with the service's reading of them (what the
 *   emulator's wire edge uses, so its backend only ever sees typed inputs).
 */
import { API_VERSION, enumValueOf, errors, operations, type InputMember, type OperationName, type ScalarShape } from "../model";
import { ImportExportValidationError } from "../errors";
import { rfc3986Encode } from "../signing/encode";
import { printable } from "../text";
import type { OperationInputs } from "../types";

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "string" ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value;
}

function invalid(op: OperationName, member: string, message: string): ImportExportValidationError {
  return new ImportExportValidationError("InvalidParameterException", member, `${op}: parameter ${member} ${message}`);
}

function scalar(op: OperationName, name: string, shape: ScalarShape, value: unknown): string {
  switch (shape.type) {
    case "boolean":
      if (typeof value !== "boolean") throw invalid(op, name, `must be a boolean, found ${describe(value)}.`);
      return value ? "true" : "false";
    case "integer":
      if (typeof value !== "number" || !Number.isSafeInteger(value)) throw invalid(op, name, `must be an integer, found ${describe(value)}.`);
      return String(value);
    case "timestamp":
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw invalid(op, name, `must be a Date, found ${describe(value)}.`);
      return value.toISOString().replace(/\.\d{3}Z$/, "Z");
    case "string":
      if (typeof value !== "string") throw invalid(op, name, `must be a string, found ${describe(value)}.`);
      return value;
  }
}

/**
 * Serializes an operation's input into Query parameters. Lists use `name.member.N` (1-based); an empty list is
 * sent as `name=` (as botocore and JS v2 do).
 *
 * @throws ImportExportValidationError for a missing required member, a value of the wrong type or an unknown
 *   member. Nothing is sent in that case.
 */
export function serializeQuery(op: OperationName, input: object): Record<string, string> {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new ImportExportValidationError("InvalidParameterException", "", `${op}: the input must be an object.`);
  }
  const model = operations[op];
  const given = input as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(model.input, key)) {
      const known = Object.keys(model.input).join(", ");
      throw invalid(op, key, `is not a member of ${op} (members: ${known}).`);
    }
  }
  const params: Record<string, string> = { Action: op, Version: API_VERSION };
  for (const [name, member] of Object.entries(model.input)) {
    const value = given[name];
    if (value === undefined || value === null) {
      if (member.required) {
        throw new ImportExportValidationError("MissingParameterException", name, `${op}: required parameter ${name} is missing.`);
      }
      continue;
    }
    const shape = member.shape;
    if (shape.kind === "list") {
      if (!Array.isArray(value)) throw invalid(op, name, `must be a list, found ${describe(value)}.`);
      if (value.length === 0) params[name] = "";
      value.forEach((item, i) => {
        params[`${name}.member.${i + 1}`] = scalar(op, `${name}[${i}]`, shape.member, item);
      });
    } else {
      params[name] = scalar(op, name, shape, value);
    }
  }
  return params;
}

/** `application/x-www-form-urlencoded` body with RFC 3986 encoding (space → `%20`). */
export function formBody(params: Readonly<Record<string, string>>): string {
  let out = "";
  for (const [k, v] of Object.entries(params)) {
    out += `${out ? "&" : ""}${rfc3986Encode(k)}=${rfc3986Encode(v)}`;
  }
  return out;
}

/** Decoded Query parameters (name → value), as the emulator's form parser produces them. */
export type QueryParameters = ReadonlyMap<string, string>;

/**
 * Reads a list member (`name.member.1`, `name.member.2`, ...). `name=` (how botocore and JS v2 send an empty list)
 * gives `[]`; no parameter at all gives undefined. Indexes must be 1..N without holes.
 */
function readList(params: QueryParameters, name: string): string[] | undefined {
  const prefix = `${name}.member.`;
  const byIndex = new Map<number, string>();
  for (const [key, value] of params) {
    if (!key.startsWith(prefix)) continue;
    const index = key.slice(prefix.length);
    if (!/^[1-9]\d{0,3}$/.test(index)) {
      throw new ImportExportValidationError("InvalidParameterException", name, `Parameter ${printable(key)} has an invalid list index.`);
    }
    byIndex.set(Number(index), value);
  }
  if (byIndex.size === 0) return params.has(name) ? [] : undefined;
  const list: string[] = [];
  for (let i = 1; i <= byIndex.size; i++) {
    const value = byIndex.get(i);
    if (value === undefined) throw new ImportExportValidationError("InvalidParameterException", name, `List ${name} is missing ${name}.member.${i}.`);
    list.push(value);
  }
  return list;
}

/** Converts one scalar's wire text; `name` is the member (or list item) the message names. */
function readScalar(shape: ScalarShape, name: string, raw: string): unknown {
  const invalid = (detail: string): ImportExportValidationError => new ImportExportValidationError("InvalidParameterException", name, detail);
  switch (shape.type) {
    case "string": {
      if (shape.enum === undefined) return raw;
      // The service matched enum values in any case (the AWS CLI sends `import`); the input carries the model's spelling.
      const value = enumValueOf(shape.enum, raw);
      if (value === undefined) throw invalid(`${errors.InvalidParameterException.message} ${name} must be ${shape.enum.join(" or ")}.`);
      return value;
    }
    case "boolean": {
      const lower = raw.toLowerCase();
      if (lower === "true" || lower === "false") return lower === "true";
      throw invalid(`Parameter ${name} must be "true" or "false".`);
    }
    case "integer":
      if (!/^[+-]?\d{1,10}$/.test(raw)) throw invalid(`Parameter ${name} must be a decimal integer.`);
      return Number(raw);
    case "timestamp": {
      const date = new Date(raw);
      if (Number.isNaN(date.getTime())) throw invalid(`Parameter ${name} must be an ISO 8601 timestamp.`);
      return date;
    }
  }
}

/** Reads one member (inputs hold scalars and lists of scalars only, see `InputShape`). */
function readMember(params: QueryParameters, name: string, member: InputMember, lists: ReadonlyMap<string, string[] | undefined>): unknown {
  const shape = member.shape;
  if (shape.kind === "list") {
    const items = lists.has(name) ? lists.get(name) : readList(params, name);
    return items?.map((raw, i) => readScalar(shape.member, `${name}.member.${i + 1}`, raw));
  }
  // An empty value is an absent one: the service treated `Marker=` like no Marker.
  const raw = params.get(name) || member.serviceDefault;
  return raw === undefined ? undefined : readScalar(shape, name, raw);
}

/**
 * The typed input of `op` from decoded Query parameters, the inverse of {@link serializeQuery} as the service reads
 * it: every required member is checked first (`MissingParameterException`; a member with a `serviceDefault` may be
 * absent), then each member is converted to its model type in model order (`InvalidParameterException` for text
 * that is not of the type). Empty values count as absent; parameters that are not members (`Action`, signature
 * fields) are ignored.
 *
 * @throws ImportExportValidationError (as the serializer does) naming the member, with the code and the exact message
 *   the service answers with.
 */
export function deserializeQuery<Op extends OperationName>(op: Op, params: QueryParameters): OperationInputs[Op] {
  const members = operations[op].input;
  const lists = new Map<string, string[] | undefined>();
  for (const [name, member] of Object.entries(members)) {
    if (!member.required || member.serviceDefault !== undefined) continue;
    let present: boolean;
    if (member.shape.kind === "list") {
      const items = readList(params, name);
      lists.set(name, items);
      present = items !== undefined;
    } else {
      present = (params.get(name) ?? "") !== "";
    }
    if (!present) {
      throw new ImportExportValidationError("MissingParameterException", name, `${errors.MissingParameterException.message} Missing parameter: ${name}.`);
    }
  }
  const input: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(members)) {
    const value = readMember(params, name, member, lists);
    if (value !== undefined) input[name] = value;
  }
  return input as unknown as OperationInputs[Op];
}
