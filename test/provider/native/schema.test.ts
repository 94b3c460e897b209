/**
 * The plugin's schema is read from the resources' definitions (provider/native/resources → core/definition), so the
 * two cannot drift: every program input with the definition's type, description, required and secret flags, and
 * every output of the definition in the state's place (its own, or inside its registered group).
 */
import { describe, expect, it } from "vitest";
import { schemaOf, type ResourceDefinition } from "../../../provider/core/definition";
import { providerSettings, settingDescription } from "../../../provider/core/setting-definitions";
import { importExportJobDefinition } from "../../../provider/importexport/definition";
import { iotJobDefinition } from "../../../provider/iot/definition";
import { importExportPackage } from "../../../provider/native/main";
import { packageSchema } from "../../../provider/native/schema";

const schema = packageSchema(importExportPackage()) as {
  config: { variables: Record<string, Record<string, unknown>> };
  provider: { inputProperties: Record<string, Record<string, unknown>>; properties: Record<string, Record<string, unknown>> };
  resources: Record<string, { inputProperties: Record<string, Record<string, unknown>>; requiredInputs: string[]; properties: Record<string, Record<string, unknown>> }>;
  types: Record<string, Record<string, unknown>>;
};

/**
 * A schema type with its `$ref`s to named types written back inline, in the definitions' terms (an enum's values as
 * a list, an object's properties), so it compares with what the definition states.
 */
function inline(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inline);
  if (typeof value !== "object" || value === null) return value;
  const { $ref, ...rest } = value as Record<string, unknown>;
  const named = typeof $ref === "string" && $ref.startsWith("#/types/") ? schema.types[$ref.slice("#/types/".length)] : undefined;
  if (typeof $ref === "string" && named === undefined && $ref.startsWith("#/types/")) throw new Error(`dangling ${$ref}`);
  const target = named === undefined ? { ...($ref !== undefined ? { $ref } : {}), ...rest } : { ...named, ...rest };
  const out = Object.fromEntries(Object.entries(target).map(([k, v]) => [k, inline(v)]));
  if (Array.isArray(out["enum"])) out["enum"] = (out["enum"] as Array<{ value: unknown }>).map((e) => e.value);
  return out;
}

it("names an enum or an object type once, in types, and every reference resolves", () => {
  expect(schema.types["importexport:index:ImportExportJobJobType"]).toEqual({ type: "string", enum: [{ value: "Import" }, { value: "Export" }] });
  expect(schema.types["importexport:index:ImportExportJobSigning"]).toMatchObject({ type: "object", properties: { signature: { type: "string" } } });
  expect(() => inline(schema)).not.toThrow();
});

describe.each<[string, ResourceDefinition]>([
  ["ImportExportJob", importExportJobDefinition],
  ["IotJob", iotJobDefinition],
])("%s", (_name, definition) => {
  const resource = schema.resources[definition.token];

  it("is served under the definition's token", () => {
    expect(resource).toBeDefined();
  });

  it("has exactly the definition's program inputs, as the definition's own schema reader states them", () => {
    const expected = schemaOf(definition);
    expect(inline(resource?.inputProperties)).toEqual(expected.inputProperties);
    expect(resource?.requiredInputs).toEqual(expected.requiredInputs);
  });

  it("has every output where the state holds it: its own, or as a member of its group (secret when a member is)", () => {
    for (const [name, d] of Object.entries(definition.outputs)) {
      if (d.group === undefined) {
        expect(inline(resource?.properties[name]), name).toMatchObject({ ...d.type, description: d.description });
        continue;
      }
      const group = inline(resource?.properties[d.group]) as { properties: Record<string, unknown>; secret?: boolean } | undefined;
      expect(group?.properties[name], `${d.group}.${name}`).toEqual({ ...d.type, description: d.description });
      if (d.secret) expect(group?.secret, `${d.group} holds the secret ${name}`).toBe(true);
    }
    const groups = Object.keys(definition.groups);
    const own = Object.entries(definition.outputs).filter(([, d]) => d.group === undefined).map(([n]) => n);
    const inputs = Object.keys(schemaOf(definition).inputProperties);
    expect(Object.keys(resource?.properties ?? {}).sort()).toEqual([...inputs, ...own, ...groups].sort());
  });
});

describe("the provider's settings", () => {
  const expected = Object.fromEntries(
    Object.entries(providerSettings).map(([name, d]) => [name, { ...d.type, description: settingDescription(d), ...("secret" in d && d.secret ? { secret: true } : {}) }]),
  );

  it("are the config variables and the provider's inputs, exactly as their definitions state them", () => {
    expect(inline(schema.config.variables)).toEqual(expected);
    expect(inline(schema.provider.inputProperties)).toEqual(expected);
    expect(Object.keys(schema.provider.inputProperties)).toEqual(Object.keys(providerSettings));
  });

  it("leave the secret out of the provider's state properties", () => {
    const secret = Object.entries(providerSettings).filter(([, d]) => "secret" in d && d.secret).map(([n]) => n);
    expect(secret).toEqual(["secretAccessKey"]);
    expect(Object.keys(schema.provider.properties).sort()).toEqual(Object.keys(providerSettings).filter((n) => !secret.includes(n)).sort());
  });

  it("describe every environment variable they fall back to", () => {
    for (const [name, d] of Object.entries(providerSettings)) {
      for (const v of "env" in d ? d.env : []) expect(schema.config.variables[name]?.["description"], `${name}: ${v}`).toContain(v);
    }
    expect(schema.provider.inputProperties["iotEndpoint"]?.["description"]).toContain("AWS_ENDPOINT_URL_IOT");
  });
});
