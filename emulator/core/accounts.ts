/** An S3 bucket an emulated account owns, with its region (drives NoSuchBucket / BucketPermission / MultipleRegions). */
export interface Bucket {
  name: string;
  region: string;
}

/** An emulated AWS account: who may sign requests and which buckets exist for its manifests. */
export interface Account {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
  buckets: Bucket[];
  /** Optional session token; when set, SigV2 `SecurityToken` / SigV4 `X-Amz-Security-Token` must equal it. */
  sessionToken?: string;
}

/**
 * Built-in accounts (fixed, so demos and docs can name them). The keys are deliberately not shaped like real AWS
 * keys (`AKIA…`/`ASIA…`), so they can never be mistaken for, or collide with, production credentials.
 */
export const DEFAULT_ACCOUNTS: readonly Account[] = [
  {
    accountId: "111111111111",
    accessKeyId: "EMULATORALICE0000001",
    secretAccessKey: "emulator-alice-secret-key-0000000000000001",
    buckets: [
      { name: "alice-import", region: "us-east-1" },
      { name: "alice-logs", region: "us-east-1" },
      { name: "alice-eu", region: "eu-west-1" },
    ],
  },
  {
    accountId: "222222222222",
    accessKeyId: "EMULATORBOB000000002",
    secretAccessKey: "emulator-bob-secret-key-00000000000000002",
    buckets: [
      { name: "bob-import", region: "us-east-1" },
      { name: "bob-logs", region: "us-east-1" },
      { name: "bob-eu", region: "eu-west-1" },
    ],
  },
];

/** Access keys shaped like real AWS keys (long-term `AKIA`, temporary `ASIA`). */
export function looksLikeRealAwsKey(accessKeyId: string): boolean {
  return /^(AKIA|ASIA)[A-Z0-9]{12,}$/.test(accessKeyId);
}

/** Why an accounts configuration was refused. */
export class AccountsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccountsConfigError";
  }
}

/**
 * Checks an accounts array (from `--accounts FILE` or `startEmulator({accounts})`) and returns a clean copy.
 * Refuses real-looking keys unless `allowRealLookingKeys`: a local tool must not invite production credentials.
 */
export function validateAccounts(input: unknown, allowRealLookingKeys: boolean): Account[] {
  if (!Array.isArray(input) || input.length === 0) throw new AccountsConfigError("accounts must be a non-empty array");
  const seenKeys = new Set<string>();
  const seenBuckets = new Set<string>();
  return input.map((raw: unknown, i) => {
    const a = (raw ?? {}) as Record<string, unknown>;
    const field = (name: string): string => {
      const v = a[name];
      if (typeof v !== "string" || v.length === 0) throw new AccountsConfigError(`accounts[${i}].${name} must be a non-empty string`);
      return v;
    };
    const account: Account = {
      accountId: field("accountId"),
      accessKeyId: field("accessKeyId"),
      secretAccessKey: field("secretAccessKey"),
      buckets: [],
    };
    if (!/^\d{12}$/.test(account.accountId)) throw new AccountsConfigError(`accounts[${i}].accountId must be 12 digits`);
    if (!/^[A-Za-z0-9_+=,.@-]{1,128}$/.test(account.accessKeyId)) {
      throw new AccountsConfigError(`accounts[${i}].accessKeyId has characters an access key cannot have`);
    }
    if (looksLikeRealAwsKey(account.accessKeyId) && !allowRealLookingKeys) {
      throw new AccountsConfigError(
        `accounts[${i}].accessKeyId looks like a real AWS access key (AKIA…/ASIA…). The emulator refuses such keys so production ` +
          `credentials are never sent to it; use a made-up key, or pass --allow-real-looking-keys if this is deliberate.`,
      );
    }
    if (seenKeys.has(account.accessKeyId)) throw new AccountsConfigError(`accounts[${i}].accessKeyId is used by two accounts`);
    seenKeys.add(account.accessKeyId);
    if (typeof a["sessionToken"] === "string") account.sessionToken = a["sessionToken"];
    const buckets = a["buckets"] ?? [];
    if (!Array.isArray(buckets)) throw new AccountsConfigError(`accounts[${i}].buckets must be an array`);
    for (const [j, b] of buckets.entries()) {
      const bucket = (b ?? {}) as Record<string, unknown>;
      const name = bucket["name"];
      const region = bucket["region"] ?? "us-east-1";
      if (typeof name !== "string" || name.length === 0 || typeof region !== "string") {
        throw new AccountsConfigError(`accounts[${i}].buckets[${j}] needs a name and a region`);
      }
      // Bucket names are global in S3: one owner per name.
      if (seenBuckets.has(name)) throw new AccountsConfigError(`bucket "${name}" is owned by two accounts`);
      seenBuckets.add(name);
      account.buckets.push({ name, region });
    }
    return account;
  });
}

/** Lookup tables over the configured accounts. */
export class AccountDirectory {
  readonly accounts: readonly Account[];
  private readonly byKey = new Map<string, Account>();
  private readonly bucketOwners = new Map<string, { account: Account; bucket: Bucket }>();

  constructor(accounts: readonly Account[]) {
    this.accounts = accounts;
    for (const account of accounts) {
      this.byKey.set(account.accessKeyId, account);
      for (const bucket of account.buckets) this.bucketOwners.set(bucket.name, { account, bucket });
    }
  }

  /** The account an access key belongs to. */
  byAccessKey(accessKeyId: string): Account | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** The owner and region of a bucket, if it exists anywhere. */
  bucket(name: string): { account: Account; bucket: Bucket } | undefined {
    return this.bucketOwners.get(name);
  }
}
