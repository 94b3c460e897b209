/** Valid manifests as YAML text, shared by the suites that talk to the emulator over the wire. */

/** A valid S3 import manifest for `bucket`. */
export function importManifest(bucket: string, extra = ""): string {
  return [
    "manifestVersion: 2.0",
    "deviceId: 49382",
    "eraseDevice: yes",
    `bucket: ${bucket}`,
    extra,
    "returnAddress:",
    "  name: Jane Roe",
    "  street1: 123 Any Street",
    "  city: Anytown",
    "  stateOrProvince: WA",
    "  postalCode: 91011",
    "  phoneNumber: 206-555-1111",
    "  country: USA",
    "",
  ]
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
    "returnAddress:",
    "  name: Jane Roe",
    "  street1: 123 Any Street",
    "  city: Anytown",
    "  stateOrProvince: WA",
    "  postalCode: 91011",
    "  phoneNumber: 206-555-1111",
    "  country: USA",
  ].join("\n");
}
