/**
 * IotJob's auto-named `jobId`: deterministic, and kept out of what the engine displays as a user change.
 *
 * Deterministic: a dynamic provider gets neither the URN nor the engine's autonaming seed, and `pulumi preview` and
 * `pulumi up` run `check` in two processes, so a random suffix differed between them. The resource class sends its
 * URN as the internal input `__autoNameSeed`; the name is `<resource name>-<7 chars of sha256(URN, prior jobId)>`.
 * The prior jobId is what makes a replacement's name new (the old job still exists while its replacement is
 * created): the engine re-checks a replacement without the old inputs, right after `diff` decided it in the same
 * provider process, so `diff` notes the old jobId for that URN ({@link noteReplacement}) and the re-check reads it.
 *
 * Not displayed: without a detailed diff (dynamic providers cannot return one) the engine displays every input whose
 * value changed, so a replacement showed `[diff: ~document,jobId]`. An auto-name therefore travels in the internal
 * input `__jobId` (the engine hides `__`-prefixed keys, like `__provider`); the `jobId` output and every provider
 * method see it as `jobId` ({@link fromEngine}). States written before keep their visible `jobId` input.
 */
import { createHash, randomBytes } from "node:crypto";
import { UNKNOWN } from "../core/policy";

/** The internal input holding an auto-named jobId. */
export const AUTO_JOB_ID = "__jobId";
/** The internal input holding the resource's URN, the basis of its auto-names. */
export const AUTO_NAME_SEED = "__autoNameSeed";

const SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
const SUFFIX_LENGTH = 7;

/**
 * An auto-name: `<prefix>-<7 [a-z0-9]>`, the prefix cut to [a-zA-Z0-9_-] so the whole fits in 64. With a `basis` the
 * suffix is derived from it (the same basis, the same name); without one it is random.
 */
export function autoJobId(prefix: string, basis?: string): string {
  const clean = prefix.replace(/[^a-zA-Z0-9_-]/g, "-").slice(0, 64 - SUFFIX_LENGTH - 1) || "job";
  const bytes = basis === undefined ? randomBytes(SUFFIX_LENGTH) : createHash("sha256").update(basis).digest().subarray(0, SUFFIX_LENGTH);
  let suffix = "";
  for (const b of bytes) suffix += SUFFIX_CHARS[b % SUFFIX_CHARS.length];
  return `${clean}-${suffix}`;
}

/** The basis of an auto-name: the URN and, for a replacement, the jobId it replaces. */
export function autoNameBasis(seed: string, priorJobId: string | undefined): string {
  return `${seed}\n${priorJobId ?? ""}`;
}

/** An input bag as the provider's methods read it: `__jobId` as `jobId` (auto-named), without the seed. */
export function fromEngine(bag: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { [AUTO_JOB_ID]: auto, [AUTO_NAME_SEED]: _seed, ...rest } = bag;
  if (typeof auto === "string" && (rest["jobId"] === undefined || rest["jobId"] === null)) return { ...rest, jobId: auto, jobIdAutoNamed: true };
  return rest;
}

/**
 * An input bag as diff compares it: {@link fromEngine}'s, without `autoNamePrefix` unless the jobId is a generated
 * one. The prefix only names a generated jobId; next to the user's own it means nothing, so it is no change (an
 * imported job has none, while check gives the program's inputs one).
 */
export function comparedInputs(bag: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const inputs = fromEngine(bag);
  if (inputs["jobIdAutoNamed"] !== true) delete inputs["autoNamePrefix"];
  return inputs;
}

/** Whether old inputs carry a visible auto-named `jobId` (written before `__jobId`): such a state keeps that form. */
export function visibleAutoName(olds: Readonly<Record<string, unknown>>): boolean {
  return olds["jobIdAutoNamed"] === true && typeof olds["jobId"] === "string";
}

/** Checked inputs as handed back to the engine: an auto-named jobId moved to `__jobId` (unless `keepVisible`). */
export function toEngine(inputs: Readonly<Record<string, unknown>>, keepVisible = false): Record<string, unknown> {
  if (keepVisible || inputs["jobIdAutoNamed"] !== true || inputs["jobId"] === undefined) return { ...inputs };
  const { jobId, ...rest } = inputs;
  return { ...rest, [AUTO_JOB_ID]: jobId };
}

/** The seed the resource class sent: a string, `UNKNOWN` while its URN is not known, or undefined when absent. */
export function seedOf(news: Readonly<Record<string, unknown>>): string | undefined {
  const seed = news[AUTO_NAME_SEED];
  if (seed === UNKNOWN) return UNKNOWN;
  return typeof seed === "string" && seed.length > 0 ? seed : undefined;
}

/**
 * The replacements `diff` decided in this provider process, by URN: the jobId being replaced. The engine's re-check
 * of a replacement follows its diff in the same process (one provider process per deployment).
 */
const replacing = new Map<string, string>();

/** Notes that the auto-named job `priorJobId` of the resource `seed` is being replaced. */
export function noteReplacement(seed: string, priorJobId: string): void {
  replacing.set(seed, priorJobId);
}

/** The jobId the resource `seed` replaces in this process, if `diff` decided a replacement. */
export function replacedJobId(seed: string): string | undefined {
  return replacing.get(seed);
}
