/**
 * The `signatureVersion` setting, read the same way by the client option, the provider's stack config and the CLI's
 * `--signature-version` flag.
 */

/** Request signing schemes: `v2` (the service's modelled scheme, the default) and `v4` (service `IngestionService`). */
export const signatureVersions = ["v2", "v4"] as const;
/** A request signing scheme. */
export type SignatureVersion = (typeof signatureVersions)[number];

/** Whether `value` is a signing scheme this package speaks. */
export function isSignatureVersion(value: unknown): value is SignatureVersion {
  return (signatureVersions as readonly unknown[]).includes(value);
}

/** What is wrong with a value that is not a signing scheme, for the caller to prefix with its setting's name. */
export function signatureVersionProblem(value: unknown): string {
  return `must be ${signatureVersions.map((v) => JSON.stringify(v)).join(" or ")}, found ${JSON.stringify(value)}.`;
}
