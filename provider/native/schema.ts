/**
 * The Pulumi package schema of the plugin (`pulumi package get-schema`), built from the same property lists the
 * server marks secrets by, so the schema cannot say something the plugin does not do.
 */
import type { NativePackage, PropertySpec } from "./native-resource";

/** A schema property: its type, description and secrecy. */
function property(p: PropertySpec): Record<string, unknown> {
  return { ...p.type, description: p.description, ...(p.secret ? { secret: true } : {}) };
}

function properties(list: readonly PropertySpec[]): Record<string, unknown> {
  return Object.fromEntries(list.map((p) => [p.name, property(p)]));
}

function required(list: readonly PropertySpec[]): string[] {
  return list.filter((p) => p.required).map((p) => p.name);
}

/** The package schema as an object (JSON-serialisable). */
export function packageSchema(pkg: NativePackage): Record<string, unknown> {
  const config = pkg.config.properties;
  return {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    config: { variables: properties(config) },
    provider: {
      description: `The provider of the ${pkg.name} package: where the services are and whose credentials sign.`,
      inputProperties: properties(config),
      properties: properties(config.filter((p) => !p.secret)),
    },
    resources: Object.fromEntries(
      pkg.resources.map((r) => [
        r.token,
        {
          description: r.schema.description,
          inputProperties: properties(r.schema.inputs),
          requiredInputs: required(r.schema.inputs),
          // The state holds the inputs (as checked) and the outputs.
          properties: properties([...r.schema.inputs, ...r.schema.outputs]),
          required: required(r.schema.inputs),
        },
      ]),
    ),
    language: { nodejs: { packageName: "pulumi-importexport" } },
  };
}
