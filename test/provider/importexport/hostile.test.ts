/**
 * The provider's check on manifests no YAML text can represent (issue 15): a circular alias becomes a check failure
 * on the field at fault, never a stack overflow.
 */
import { describe, expect, it } from "vitest";
import { checkInputs as normalizeInputs } from "../../../provider/importexport/definition";
import { importManifest } from "../../helpers/manifests";

describe("provider check: self-containing and deep manifests", () => {
  it("a circular alias in manifest text fails check on its field", () => {
    const { failures } = normalizeInputs({ jobType: "Import", manifest: `${importManifest("alice-import")}\nx: &a [*a]\n` });
    expect(failures).toEqual([{ property: "manifest.x[0]", reason: expect.stringMatching(/contains itself.*\(MalformedManifestException\)$/) }]);
  });

  it("a manifest object nested 1,000 deep fails check on its field", () => {
    let deep: Record<string, unknown> = { a: "v" };
    for (let i = 0; i < 1_000; i++) deep = { a: deep };
    const { failures } = normalizeInputs({ jobType: "Import", manifest: { manifestVersion: "2.0", deep } });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.property).toMatch(/^manifest\.deep(\.a)+$/);
    expect(failures[0]?.reason).toMatch(/deeper than 32 levels.*\(MalformedManifestException\)$/);
  });
});
