/**
 * Which account a job lives in versus which account the stack's credentials sign as, shared by both runtimes
 * (ImportExportJob records `status.accountId`; an IotJob's `jobArn` holds it).
 *
 * Why it matters: a job is visible only to its own account. With another account's credentials every read answers
 * "not found" (InvalidJobIdException, ResourceNotFoundException), which the policy tables read as "gone" — so a
 * stack whose credentials were switched would drop live jobs from its state without a word. The runtimes ask
 * {@link compareAccount} first and, on another account, replace in `diff` (with the reason), keep the resource in
 * `read` (failing, with a message naming both accounts) and release it in `delete` (with a warning naming the job's account).
 *
 * An unchanged stack costs nothing: when the signing access key is the one the job was last written with, the account
 * is the same without asking; only another key (a switch, or a rotation) costs one STS GetCallerIdentity per provider
 * process.
 */

import type { TargetChange } from "./policy";

/** How the provider learns who it signs as. */
export interface AccountProbe {
  /** The access key ID the provider signs with, or undefined when no credentials resolve. */
  signingKey(): Promise<string | undefined>;
  /** The caller's account (STS GetCallerIdentity, memoized by the caller), or undefined when it cannot be learned. */
  callerAccount(): Promise<string | undefined>;
}

/** Where a job was recorded: its account, and the access key it was last written with (when known). */
export interface RecordedAccount {
  readonly accountId?: string | undefined;
  readonly accessKeyId?: string | undefined;
}

/** The answer of {@link compareAccount}. */
export type AccountVerdict =
  /** The credentials are the job's account's. */
  | { readonly kind: "same" }
  /** Nothing to compare (no account recorded, no credentials, or STS not answering): behave as before. */
  | { readonly kind: "unknown" }
  /** The credentials belong to another account than the job's. */
  | { readonly kind: "other"; readonly recorded: string; readonly current: string };

/** Compares the job's recorded account with the signing account; asks STS only when the signing key changed. */
export async function compareAccount(recorded: RecordedAccount, probe: AccountProbe): Promise<AccountVerdict> {
  if (!recorded.accountId) return { kind: "unknown" };
  const key = await probe.signingKey();
  if (key === undefined) return { kind: "unknown" };
  if (recorded.accessKeyId !== undefined && key === recorded.accessKeyId) return { kind: "same" };
  const current = await probe.callerAccount();
  if (current === undefined) return { kind: "unknown" };
  return current === recorded.accountId ? { kind: "same" } : { kind: "other", recorded: recorded.accountId, current };
}

/** The account in an ARN (`arn:aws:iot:us-east-1:123456789012:job/x` → `123456789012`), if it has one. */
export function accountOfArn(arn: unknown): string | undefined {
  if (typeof arn !== "string") return undefined;
  const account = arn.split(":")[4];
  return account ? account : undefined;
}

/** The words for one resource type, used in the messages below. */
export interface AccountWords {
  /** e.g. "Job", "IoT job". */
  readonly resource: string;
  /** The config namespace whose credentials to switch, e.g. "importexport", "importexport-iot". */
  readonly namespace: string;
  /** How to cancel job `id` by hand with its account's credentials. */
  cancelHint(id: string): string;
}

/**
 * For `diff`: where the job must move to, if anywhere. The endpoint when the stack now points at another one than
 * the job's; otherwise the account when the credentials are another account's (then `warn` says what `up` will do
 * with the old job). Undefined when the job stays where it is.
 */
export async function placeChange(
  where: { readonly recordedEndpoint: string | undefined; readonly endpoint: string },
  account: () => Promise<AccountVerdict>,
  report: { readonly words: AccountWords; readonly id: string; readonly warn: (message: string) => void },
): Promise<TargetChange | undefined> {
  const { recordedEndpoint, endpoint } = where;
  if (recordedEndpoint !== undefined && recordedEndpoint !== endpoint) return { field: "endpoint", from: recordedEndpoint, to: endpoint };
  const v = await account();
  if (v.kind !== "other") return undefined;
  report.warn(replacedForAccount(report.words, report.id, v));
  return { field: "accountId", from: v.recorded, to: v.current };
}

/** The `diff` line: why the job is replaced, and what `up` will do with the old one. */
export function replacedForAccount(words: AccountWords, id: string, v: { recorded: string; current: string }): string {
  return (
    `${words.resource} ${id} lives in account ${v.recorded}, but the stack's credentials now sign as account ${v.current}. ` +
    `\`pulumi up\` will create a new job in account ${v.current} and release ${id} from the stack without cancelling it ` +
    `(account ${v.current} cannot cancel it). To keep ${id} instead, set ${words.namespace}:accessKeyId / secretAccessKey (or profile) back to account ${v.recorded}'s.`
  );
}

/**
 * The `read` failure: the job cannot be refreshed with these credentials, it stays in the stack as last recorded, and
 * what to do. An error rather than a warning: the engine shows nothing a provider prints during `pulumi refresh`.
 */
export function keptForAccount(words: AccountWords, id: string, v: { recorded: string; current: string }): string {
  return (
    `${words.resource} ${id} lives in account ${v.recorded}, but the stack's credentials sign as account ${v.current}, which cannot see it, ` +
    `so it was not refreshed; it stays in the stack as last recorded (not dropped). To refresh it, set ${words.namespace}:accessKeyId / ` +
    `secretAccessKey (or profile) back to account ${v.recorded}'s; to move to account ${v.current}, run \`pulumi up\` first (it creates a new job ` +
    `there and releases ${id}), then refresh.`
  );
}

/** The `delete` warning: the job could not be cancelled with these credentials and is released. */
export function releasedForAccount(words: AccountWords, id: string, v: { recorded: string; current: string }): string {
  return (
    `${words.resource} ${id} lives in account ${v.recorded} and was not cancelled: the stack's credentials sign as account ${v.current}, which cannot reach it. ` +
    `It is released from the stack and left as it is in account ${v.recorded}; cancel it with account ${v.recorded}'s credentials (${words.cancelHint(id)}).`
  );
}
