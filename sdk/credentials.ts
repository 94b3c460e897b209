/**
 * Credentials: explicit static keys, any AWS SDK credential provider function, or the AWS default chain
 * (`fromNodeProviderChain`: environment, shared config/credentials files with `AWS_PROFILE`, SSO,
 * credential_process, web identity, container and instance roles).
 */

/** Static credentials. */
export interface ImportExportCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials stop working; the client refreshes them 5 minutes before. */
  expiration?: Date;
}

/** An AWS SDK credential provider (what `@aws-sdk/credential-providers` functions return). */
export type CredentialProvider = () => Promise<ImportExportCredentials>;

/** What the client's `credentials` option accepts. */
export type CredentialsInput = ImportExportCredentials | CredentialProvider;

/** Options of the default chain. */
export interface DefaultChainOptions {
  /** Shared-config profile; default `AWS_PROFILE` or `default`. */
  profile?: string;
}

const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The default chain's first link, read without loading the chain: with no profile named (neither the `profile`
 * option nor `AWS_PROFILE`), the chain (`@aws-sdk/credential-provider-node`) returns `AWS_ACCESS_KEY_ID`/
 * `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN` and `AWS_CREDENTIAL_EXPIRATION`) whenever both keys are set, and
 * asks no other source. Loading the chain to read them costs a CLI command ~60 ms and ~15 MiB; undefined means
 * "ask the chain".
 */
function environmentCredentials(env: NodeJS.ProcessEnv, options: DefaultChainOptions = {}): ImportExportCredentials | undefined {
  if (options.profile || env["AWS_PROFILE"]) return undefined;
  const accessKeyId = env["AWS_ACCESS_KEY_ID"];
  const secretAccessKey = env["AWS_SECRET_ACCESS_KEY"];
  if (!accessKeyId || !secretAccessKey) return undefined;
  const creds: ImportExportCredentials = { accessKeyId, secretAccessKey };
  const sessionToken = env["AWS_SESSION_TOKEN"];
  if (sessionToken) creds.sessionToken = sessionToken;
  const expiration = env["AWS_CREDENTIAL_EXPIRATION"];
  if (expiration) creds.expiration = new Date(expiration);
  return creds;
}

function check(creds: unknown, source: string): ImportExportCredentials {
  const c = creds as Partial<ImportExportCredentials> | undefined;
  if (!c || typeof c.accessKeyId !== "string" || c.accessKeyId === "" || typeof c.secretAccessKey !== "string" || c.secretAccessKey === "") {
    throw new TypeError(`${source} did not provide credentials with an accessKeyId and a secretAccessKey.`);
  }
  return c as ImportExportCredentials;
}

/**
 * Turns the `credentials` option into one memoized provider: static keys are returned as they are; a provider
 * is called once and again when its credentials are within 5 minutes of `expiration`; no option means the
 * default chain, loaded on first use. Calls that arrive while a resolution is under way share it, so concurrent
 * first calls build one chain and ask the provider once.
 */
export function resolveCredentials(input: CredentialsInput | undefined, options: DefaultChainOptions = {}): CredentialProvider {
  if (input !== undefined && typeof input !== "function") {
    const creds = check(input, "The credentials option");
    return async () => creds;
  }
  let provider: CredentialProvider | undefined = input;
  let current: { creds: ImportExportCredentials; expiresAt: number } | undefined;
  let inFlight: Promise<ImportExportCredentials> | undefined;
  const remember = (creds: ImportExportCredentials): ImportExportCredentials => {
    current = { creds, expiresAt: creds.expiration ? creds.expiration.getTime() : Number.POSITIVE_INFINITY };
    return creds;
  };
  const load = async (): Promise<ImportExportCredentials> => {
    const fromEnv = input === undefined ? environmentCredentials(process.env, options) : undefined;
    if (fromEnv !== undefined) return remember(check(fromEnv, "The environment"));
    if (provider === undefined) {
      // Loaded lazily: the chain pulls in SSO/STS clients that callers with explicit keys never need. Required, not
      // import()ed (./own-module).
      const { fromNodeProviderChain } = require("@aws-sdk/credential-providers") as typeof import("@aws-sdk/credential-providers");
      provider = fromNodeProviderChain(options.profile ? { profile: options.profile } : {}) as CredentialProvider;
    }
    return remember(check(await provider(), "The credential provider"));
  };
  return () => {
    if (current && Date.now() < current.expiresAt - REFRESH_MARGIN_MS) return Promise.resolve(current.creds);
    // A failure is not kept: the next call tries again.
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
