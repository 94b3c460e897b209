/** Valid manifests as YAML text, shared by the suites that talk to the emulator over the wire. */

/** A complete `returnAddress` block (the same for every test manifest). */
const RETURN_ADDRESS = [
  "returnAddress:",
  "  name: Jane Roe",
  "  street1: 123 Any Street",
  "  city: Anytown",
  "  stateOrProvince: WA",
  "  postalCode: 91011",
  "  phoneNumber: 206-555-1111",
  "  country: USA",
];

/** A valid S3 import manifest for `bucket`; `extra` adds lines (e.g. `generator: …`). */
export function importManifest(bucket: string, extra = ""): string {
  return ["manifestVersion: 2.0", "deviceId: 49382", "eraseDevice: yes", `bucket: ${bucket}`, extra, ...RETURN_ADDRESS]
    .filter((l) => l !== "")
    .join("\n");
}

/** A valid S3 export manifest. */
export function exportManifest(exportBucket: string, logBucket: string): string {
  return [
    "manifestVersion: 2.0",
    "deviceId: HD001",
    "fileSystem: NTFS",
    "trueCryptPassword: password123",
    `logBucket: ${logBucket}`,
    "logPrefix: logs/",
    "operations:",
    `  - exportBucket: ${exportBucket}`,
    ...RETURN_ADDRESS,
  ].join("\n");
}
