/**
 * Issue 21 item 1 at the provider's `check`: a misspelt manifest key, in an object or in YAML text, is a
 * CheckFailure on `manifest.<path>` saying what was probably meant, so `pulumi preview` stops before CreateJob.
 */
import { describe, expect, it } from "vitest";
import { checkInputs as normalizeInputs } from "../../../provider/importexport/definition";
import { importManifest } from "../../helpers/manifests";

const address = { name: "Jane Roe", street1: "123 Any Street", city: "Anytown", stateOrProvince: "WA", postalCode: "91011", phoneNumber: "206-555-1111", country: "USA" };

describe("check: unknown manifest keys", () => {
  it("an object manifest with eraseDevcie fails on manifest.eraseDevcie with did you mean", () => {
    const manifest = { manifestVersion: "2.0", deviceId: "1", eraseDevcie: "yes", bucket: "b", returnAddress: address };
    const { failures } = normalizeInputs({ jobType: "Import", manifest });
    expect(failures).toEqual([{
      property: "manifest.eraseDevcie",
      reason: "Manifest field eraseDevcie is not a manifest option; did you mean `eraseDevice`? (InvalidManifestFieldException)",
    }]);
  });

  it("YAML text is checked the same way, nested keys and list entries with their full path", () => {
    const text = importManifest("b").replace("street1:", "stret1:");
    expect(normalizeInputs({ jobType: "Import", manifest: text }).failures).toContainEqual({
      property: "manifest.returnAddress.stret1",
      reason: "Manifest field returnAddress.stret1 is not a returnAddress option; did you mean `street1`? (InvalidManifestFieldException)",
    });
    const exported = { manifestVersion: "2.0", deviceId: "1", fileSystem: "NTFS", pinCode: "1", logBucket: "l", operations: [{ exportBucket: "d", vaultName: "v" }], returnAddress: address };
    expect(normalizeInputs({ jobType: "Export", manifest: exported }).failures).toEqual([{
      property: "manifest.operations[0].vaultName",
      reason: "Manifest field operations[0].vaultName is a manifestVersion 3.0 option (EBS and Glacier import); this manifest is manifestVersion 2.0. (InvalidManifestFieldException)",
    }]);
  });

  it("an unknown key that is not a plain name is a quoted property: manifest[\"a.b\"]", () => {
    const { failures } = normalizeInputs({ jobType: "Import", manifest: `${importManifest("b")}\n"a.b": x\n` });
    expect(failures.map((f) => f.property)).toEqual(['manifest["a.b"]']);
  });

  it("a correctly spelt manifest has no failure", () => {
    expect(normalizeInputs({ jobType: "Import", manifest: importManifest("b") }).failures).toEqual([]);
  });
});
