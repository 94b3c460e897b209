/**
 * The Pulumi package schema of the plugin (`pulumi package get-schema`), built from the same property lists the
 * server marks secrets by, so the schema cannot say something the plugin does not do.
 *
 * A property's type arrives as the definitions state it, in JSON-schema terms (`enum`, an object's `properties`
 * inline). A Pulumi package schema names those: an enum or an object with properties becomes a type of its own in
 * `types` (`<package>:index:<Resource><Property>`), referenced by `$ref`. Left inline, the CLI would drop them
 * silently.
 */
import type { NativePackage, PropertySpec } from "./native-resource";

type Json = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Collects the named types of one package while its properties are converted. */
class SchemaTypes {
  readonly types: Record<string, unknown> = {};
  constructor(private readonly pkg: string) {}

  /** `type` as a Pulumi schema type; `name` is the type name an enum or object here gets (e.g. `ImportExportJobShippingLabel`). */
  convert(type: Json, name: string): Json {
    const { description, ...rest } = type;
    const note = typeof description === "string" ? { description } : {};
    if (Array.isArray(rest["enum"])) {
      return { ...note, $ref: this.named(name, { type: rest["type"] ?? "string", enum: (rest["enum"] as unknown[]).map((value) => ({ value })) }) };
    }
    if (rest["type"] === "object" && isObject(rest["properties"])) {
      const properties = Object.fromEntries(Object.entries(rest["properties"]).map(([k, v]) => [k, this.convert(v as Json, `${name}${capitalized(k)}`)]));
      const required = Array.isArray(rest["required"]) ? { required: rest["required"] } : {};
      return { ...note, $ref: this.named(name, { type: "object", properties, ...required }) };
    }
    const out: Record<string, unknown> = { ...note, ...rest };
    if (isObject(rest["items"])) out["items"] = this.convert(rest["items"], `${name}Item`);
    if (isObject(rest["additionalProperties"])) out["additionalProperties"] = this.convert(rest["additionalProperties"], `${name}Value`);
    if (Array.isArray(rest["oneOf"])) out["oneOf"] = (rest["oneOf"] as Json[]).map((t, i) => this.convert(t, `${name}${i}`));
    return out;
  }

  private named(name: string, spec: Json): string {
    const token = `${this.pkg}:index:${name}`;
    this.types[token] = spec;
    return `#/types/${token}`;
  }

  /** A schema property: its type, description and secrecy. */
  property(p: PropertySpec, owner: string): Json {
    return { ...this.convert(p.type, `${owner}${capitalized(p.name)}`), description: p.description, ...(p.secret ? { secret: true } : {}) };
  }

  properties(list: readonly PropertySpec[], owner: string): Record<string, unknown> {
    return Object.fromEntries(list.map((p) => [p.name, this.property(p, owner)]));
  }
}

function required(list: readonly PropertySpec[]): string[] {
  return list.filter((p) => p.required).map((p) => p.name);
}

/** The package schema as an object (JSON-serialisable). */
export function packageSchema(pkg: NativePackage): Record<string, unknown> {
  const t = new SchemaTypes(pkg.name);
  const config = pkg.config.properties;
  const resources = Object.fromEntries(
    pkg.resources.map((r) => {
      const owner = r.token.slice(r.token.lastIndexOf(":") + 1);
      return [
        r.token,
        {
          description: r.schema.description,
          inputProperties: t.properties(r.schema.inputs, owner),
          requiredInputs: required(r.schema.inputs),
          // The state holds the inputs (as checked) and the outputs.
          properties: t.properties([...r.schema.inputs, ...r.schema.outputs], owner),
          required: required(r.schema.inputs),
        },
      ];
    }),
  );
  return {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    config: { variables: t.properties(config, "Config") },
    provider: {
      description: `The provider of the ${pkg.name} package: where the services are and whose credentials sign.`,
      inputProperties: t.properties(config, "Provider"),
      properties: t.properties(config.filter((p) => !p.secret), "Provider"),
    },
    resources,
    types: t.types,
    language: { nodejs: { packageName: "pulumi-importexport" } },
  };
}
