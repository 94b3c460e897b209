/**
 * Engine smoke test: proves the toolchain end to end — the real `pulumi` binary from scripts/pulumi-cli, the Node
 * language host running a local program, the dynamic-provider plugin — and that the engine reports create, same,
 * replace and update the way the provider's diff decides them.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProgramStack, pulumiBinDir, type ProgramStack } from "./harness";

describe("engine smoke (real pulumi CLI, local program, dynamic provider)", () => {
  let ws: ProgramStack;

  beforeAll(async () => {
    ws = await createProgramStack({
      fixture: "test/engine/fixtures/smoke",
      config: { "engine-smoke:name": { value: "alpha" }, "engine-smoke:size": { value: "1" } },
    });
  });
  afterAll(() => ws?.cleanup());

  it("runs the pulumi binary built by scripts/pulumi-cli at v3.248.0", () => {
    const version = execFileSync(join(pulumiBinDir(), "pulumi"), ["version"], { encoding: "utf8" }).trim();
    console.log(`engine smoke: using ${join(pulumiBinDir(), "pulumi")} ${version}`);
    expect(version).toBe("v3.248.0");
  });

  it("creates, keeps, replaces, updates and destroys", async () => {
    const created = await ws.up();
    expect(created.changes).toEqual({ create: 2 }); // the stack and the resource
    expect(ws.opsFor(created.events, "thing")).toEqual(["create"]);
    const firstId = created.outputs["thingId"];
    expect(typeof firstId).toBe("string");

    const unchanged = await ws.preview();
    expect(unchanged.changeSummary).toEqual({ same: 2 });
    expect(ws.opsFor(unchanged.events, "thing")).toEqual(["same"]);

    await ws.stack.setConfig("engine-smoke:name", { value: "beta" });
    const replacePlan = await ws.preview();
    expect(replacePlan.changeSummary).toEqual({ same: 1, replace: 1 });
    expect(ws.opsFor(replacePlan.events, "thing")).toEqual(["create-replacement", "replace", "delete-replaced"]);
    const replaced = await ws.up();
    expect(replaced.changes).toEqual({ same: 1, replace: 1 });
    expect(replaced.outputs["thingId"]).not.toBe(firstId);

    await ws.stack.setConfig("engine-smoke:size", { value: "2" });
    const updatePlan = await ws.preview();
    expect(updatePlan.changeSummary).toEqual({ same: 1, update: 1 });
    expect(ws.opsFor(updatePlan.events, "thing")).toEqual(["update"]);
    const updated = await ws.up();
    expect(updated.changes).toEqual({ same: 1, update: 1 });
    expect(updated.outputs["thingId"]).toBe(replaced.outputs["thingId"]);

    const destroyed = await ws.destroy();
    expect(destroyed.changes).toEqual({ delete: 2 });
    expect(ws.opsFor(destroyed.events, "thing")).toEqual(["delete"]);
  }, 300_000);
});
