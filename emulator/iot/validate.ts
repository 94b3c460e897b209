import type { Shape } from "./model";
import { invalidRequest } from "./errors";

/** Java's POSIX classes (the model's patterns are Java regexes) in JavaScript terms; `\p{L}`, `\p{C}`… carry over. */
const JAVA_POSIX: Record<string, string> = { "\\p{Upper}": "A-Z", "\\p{Lower}": "a-z", "\\p{Digit}": "0-9", "\\p{Graph}": "!-~", "\\p{Alnum}": "A-Za-z0-9" };

const compiled = new Map<string, RegExp>();
/** A model pattern compiled once, anchored (the model's patterns match the whole value) and Unicode-aware. */
export function modelRegex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    let inner = pattern.startsWith("^") && pattern.endsWith("$") ? pattern.slice(1, -1) : pattern;
    for (const [java, js] of Object.entries(JAVA_POSIX)) inner = inner.split(java).join(js);
    re = new RegExp(`^(?:${inner})$`, "u");
    compiled.set(pattern, re);
  }
  return re;
}

function show(value: string): string {
  const clipped = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(clipped).replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

function describeType(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * Checks a decoded JSON value against a model shape and returns it. Throws InvalidRequestException naming the field
 * (`abortConfig.criteriaList[0].thresholdPercentage`) and the broken rule. Members the model does not know are
 * dropped, the way AWS services ignore unknown JSON members; that also keeps hostile nesting out of the backend.
 */
export function validateShape(value: unknown, shape: Shape, field: string): unknown {
  switch (shape.type) {
    case "string": {
      if (typeof value !== "string") throw invalidRequest(`${field} must be a string, not ${describeType(value)}.`);
      const length = [...value].length;
      if (shape.min !== undefined && length < shape.min) throw invalidRequest(`${field} must be at least ${shape.min} characters long.`);
      if (shape.max !== undefined && length > shape.max) throw invalidRequest(`${field} must be at most ${shape.max} characters long (got ${length}).`);
      if (shape.enum !== undefined && !shape.enum.includes(value)) throw invalidRequest(`${field} must be one of ${shape.enum.join(", ")} (got ${show(value)}).`);
      if (shape.pattern !== undefined && !modelRegex(shape.pattern).test(value)) {
        throw invalidRequest(`${field} ${show(value)} does not match the pattern ${shape.pattern}.`);
      }
      return value;
    }
    case "integer":
    case "long":
    case "double": {
      if (typeof value !== "number" || !Number.isFinite(value)) throw invalidRequest(`${field} must be a number, not ${describeType(value)}.`);
      if (shape.type !== "double" && !Number.isInteger(value)) throw invalidRequest(`${field} must be a whole number (got ${value}).`);
      if (shape.min !== undefined && value < shape.min) throw invalidRequest(`${field} must be at least ${shape.min} (got ${value}).`);
      if (shape.max !== undefined && value > shape.max) throw invalidRequest(`${field} must be at most ${shape.max} (got ${value}).`);
      return value;
    }
    case "boolean":
      if (typeof value !== "boolean") throw invalidRequest(`${field} must be true or false, not ${describeType(value)}.`);
      return value;
    case "list": {
      if (!Array.isArray(value)) throw invalidRequest(`${field} must be a list, not ${describeType(value)}.`);
      if (shape.min !== undefined && value.length < shape.min) throw invalidRequest(`${field} must have at least ${shape.min} item(s).`);
      if (shape.max !== undefined && value.length > shape.max) throw invalidRequest(`${field} must have at most ${shape.max} item(s) (got ${value.length}).`);
      return value.map((item, i) => validateShape(item, shape.member, `${field}[${i}]`));
    }
    case "map": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw invalidRequest(`${field} must be an object (a map), not ${describeType(value)}.`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        validateShape(k, shape.key, `${field} key`);
        // defineProperty, not assignment: a key such as "__proto__" (the key patterns allow it) stays an own entry.
        Object.defineProperty(out, k, { value: validateShape(v, shape.value, `${field}.${k}`), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case "structure": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw invalidRequest(`${field} must be an object, not ${describeType(value)}.`);
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const name of shape.required ?? []) {
        if (input[name] === undefined || input[name] === null) throw invalidRequest(`${field}.${name} is required.`);
      }
      for (const [name, member] of Object.entries(shape.members)) {
        const v = input[name];
        if (v === undefined || v === null) continue;
        out[name] = validateShape(v, member, `${field}.${name}`);
      }
      return out;
    }
  }
}
