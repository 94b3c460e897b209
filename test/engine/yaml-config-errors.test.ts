/**
 * Provider configuration errors in a Pulumi YAML project (issue 24 item 4): an endpoint that is not a URL (stack
 * config of the default provider) and a missing secret key (an explicit provider in the program with only its
 * accessKeyId). Each must be reported once — one error diagnostic in the engine's events, once in the CLI's
 * Diagnostics — on the provider, naming the setting, without a stack trace; and nothing reaches the service.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { createYamlStack, importExportJobYaml, providerSettings, type YamlStack } from "./yaml-harness";

const STEP = 240_000;

/** The error diagnostics among the events. */
function errors(events: readonly EngineEvent[]) {
  return events.map((e) => e.diagnosticEvent).filter((d) => d !== undefined && d.severity === "error");
}

/** How often `text` occurs in `output`. */
function occurrences(output: string, text: string): number {
  return output.split(text).length - 1;
}

/** The CLI's Diagnostics section (after the progress lines, before the summary). */
function diagnosticsSection(output: string): string {
  const start = output.indexOf("Diagnostics:");
  return start === -1 ? "" : output.slice(start, output.indexOf("Resources:", start) === -1 ? undefined : output.indexOf("Resources:", start));
}

/** A JavaScript stack frame, or a path into the plugin's code. */
const STACK_TRACE = /\n\s+at .+[:(]\d+|node_modules\/|dist\/provider\//;

describe("provider configuration errors in a YAML project", () => {
  let emu: TestEmulator;
  let ws: YamlStack;

  beforeAll(async () => {
    emu = await startTestEmulator();
    ws = await createYamlStack({
      project: "yaml-config",
      body: ["resources:", importExportJobYaml("photos", { deviceId: "YAML-CONFIG-1", bucket: "alice-import", postalCode: "98101" })].join("\n"),
      config: providerSettings("importexport", "not-a-url", emu.account),
    });
  }, STEP);
  afterAll(async () => {
    ws?.cleanup();
    await emu?.close();
  });

  it("an endpoint that is not a URL: one error on the default provider, naming endpoint", async () => {
    const { events, output } = await ws.failingPreview();
    const found = errors(events);
    expect(found.map((d) => d?.message)).toHaveLength(1);
    expect(found[0]?.urn).toMatch(/::pulumi:providers:importexport::default$/);
    expect(found[0]?.message).toMatch(/property endpoint .*is not a URL: "not-a-url"/);
    expect(occurrences(diagnosticsSection(output), "is not a URL")).toBe(1);
    expect(output).not.toMatch(STACK_TRACE);
    expect(output).not.toContain(emu.account.secretAccessKey);
    expect((await emu.admin.stats()).total).toBe(0);
  }, STEP);

  it("a missing secret key on an explicit provider: one error on that provider, naming secretAccessKey", async () => {
    ws.edit(
      "resources:\n",
      ["resources:", "  keyed:", "    type: pulumi:providers:importexport", "    properties:", `      endpoint: ${emu.endpoint}`, `      accessKeyId: ${emu.account.accessKeyId}`, ""].join("\n"),
    );
    ws.edit(/\n$/, "\n    options:\n      provider: ${keyed}\n");
    const { events, output } = await ws.failingPreview();
    const found = errors(events);
    expect(found.map((d) => d?.message)).toHaveLength(1);
    expect(found[0]?.urn).toMatch(/::pulumi:providers:importexport::keyed$/);
    expect(found[0]?.message).toMatch(/property secretAccessKey .*accessKeyId and secretAccessKey go together/);
    expect(occurrences(diagnosticsSection(output), "go together")).toBe(1);
    expect(output).not.toMatch(STACK_TRACE);
    expect((await emu.admin.stats()).total).toBe(0);
  }, STEP);
});
