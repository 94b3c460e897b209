/**
 * Import/Export's wire edge (moto's `responses`): the typed operation input the backend receives, read from the
 * form by the SDK's model-driven reader, and the model-driven XML of its results. Nothing behind this module sees a
 * form parameter. The Query protocol's common parts (form decoding, error documents) are in emulator/core/query/.
 */
import { ImportExportValidationError } from "../../sdk/errors";
import { XML_NAMESPACE, operations, type Members, type OperationName, type Shape } from "../../sdk/model";
import { deserializeQuery } from "../../sdk/protocol/query";
import type { OperationInputs } from "../../sdk/types";
import { ServiceError } from "../core/query/errors";
import type { QueryParams } from "../core/query/form";
import { escapeXml, formatTimestamp } from "../core/query/xml";

/**
 * The typed input of `operation` from its parameters: the model-driven reader (`deserializeQuery`, beside the SDK's
 * serializer) with its refusals answered as the service does. The backend only ever receives this.
 */
export function operationInput<Op extends OperationName>(operation: Op, params: QueryParams): OperationInputs[Op] {
  try {
    return deserializeQuery(operation, params);
  } catch (e) {
    if (e instanceof ImportExportValidationError) throw new ServiceError(e.code, e.message);
    throw e;
  }
}

/**
 * Serializes `value` as the members of `members`, in the model's order. Absent (`undefined`/`null`) members are
 * omitted: an empty `<ErrorCount/>` or `<CreationDate/>` makes botocore throw, so optional integers and dates
 * must not appear empty.
 */
function serializeMembers(members: Members, value: Readonly<Record<string, unknown>>): string {
  let out = "";
  for (const name of Object.keys(members)) {
    const member = members[name];
    const v = value[name];
    if (member === undefined || v === undefined || v === null) continue;
    out += serializeValue(name, member.shape, v);
  }
  return out;
}

function serializeValue(name: string, shape: Shape, value: unknown): string {
  switch (shape.kind) {
    case "list": {
      const items = Array.isArray(value) ? value : [];
      if (items.length === 0) return `<${name}/>`;
      let inner = "";
      for (const item of items) inner += serializeValue("member", shape.member, item);
      return `<${name}>${inner}</${name}>`;
    }
    case "structure":
      return `<${name}>${serializeMembers(shape.members, (value ?? {}) as Record<string, unknown>)}</${name}>`;
    case "scalar":
      switch (shape.type) {
        case "boolean":
          return `<${name}>${value === true ? "true" : "false"}</${name}>`;
        case "integer": {
          const n = typeof value === "number" ? value : Number(value);
          return Number.isFinite(n) ? `<${name}>${Math.trunc(n)}</${name}>` : "";
        }
        case "timestamp": {
          const t = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(String(value));
          return Number.isFinite(t) ? `<${name}>${formatTimestamp(t)}</${name}>` : "";
        }
        case "string":
          return `<${name}>${escapeXml(String(value))}</${name}>`;
      }
  }
}

/**
 * A success document: `<{Op}Response><{Op}Result>…</{Op}Result><ResponseMetadata>…` with the output members
 * taken from sdk/model in model order. The Result wrapper is always present (botocore raises KeyError without it).
 */
export function serializeResult(operation: OperationName, output: Readonly<Record<string, unknown>>, requestId: string): string {
  const body = serializeMembers(operations[operation].output, output);
  const result = body.length === 0 ? `<${operation}Result/>` : `<${operation}Result>${body}</${operation}Result>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${operation}Response xmlns="${XML_NAMESPACE}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  );
}
