/**
 * Query protocol serializer: an operation's input → the form parameters (`Action`, `Version`, members), with
 * the client-side checks botocore makes (required members present, values of the member's type, no unknown
 * members). Reads the member list from sdk/model.ts.
 */
import { API_VERSION, operations, type Member, type OperationName } from "../model";
import { ImportExportValidationError } from "../errors";
import { rfc3986Encode } from "../signing/encode";

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "string" ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value;
}

function invalid(op: OperationName, member: string, message: string): ImportExportValidationError {
  return new ImportExportValidationError("InvalidParameterException", member, `${op}: parameter ${member} ${message}`);
}

function scalar(op: OperationName, name: string, member: Member, value: unknown): string {
  const shape = member.shape;
  if (shape.kind !== "scalar") throw invalid(op, name, "has an unsupported shape.");
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
    if (member.shape.kind === "list") {
      if (!Array.isArray(value)) throw invalid(op, name, `must be a list, found ${describe(value)}.`);
      if (value.length === 0) params[name] = "";
      value.forEach((item, i) => {
        params[`${name}.member.${i + 1}`] = scalar(op, `${name}[${i}]`, { shape: member.shape.kind === "list" ? member.shape.member : member.shape }, item);
      });
    } else {
      params[name] = scalar(op, name, member, value);
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
