/**
 * `pulumi-importexport/sdk`: a typed client for the AWS Import/Export API (2010-06-01), its errors, the SigV2
 * signer, and the manifest model, codec and validator.
 */
export * from "./errors";
export * from "./manifest";
export * from "./model";
export { sigV2StringToSign, sigV2Signature, sigV2Timestamp, signV2 } from "./signing/sigv2";
export type { SigV2Method, SigningCredentials } from "./signing/sigv2";
export type { SignatureVersion } from "./signing/versions";
export { rfc3986Encode, canonicalQueryString } from "./signing/encode";
export { ImportExportClient } from "./client";
export { DEFAULT_MAX_RESPONSE_BYTES } from "./transport";
export type { ImportExportCallOptions, ImportExportClientConfig, ImportExportLogger, RequestLogEvent, CallerIdentity } from "./client";
export type * from "./types";
export type { ImportExportCredentials, CredentialProvider, CredentialsInput } from "./credentials";
export { resolveEndpoint, resolveRegion } from "./endpoint";
export { StandardRetryStrategy } from "./retry";
