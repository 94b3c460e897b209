/**
 * Reading what the user typed: `--manifest` values (`file://path`, `fileb://path` or the text itself, as the AWS
 * CLI reads them), job types (the service accepted `import`/`export` in any case; the SDK wants `Import`/`Export`),
 * and numeric flags. Every problem is a {@link CliInputError} naming the flag.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { jobTypeOf } from "../sdk/model";
import type { JobType } from "../sdk/types";
import { CliInputError } from "./errors";

/** A manifest as read from `--manifest` or a file argument. */
export interface ManifestSource {
  text: string;
  /** The file it came from (as given), or undefined for inline text. */
  file?: string;
}

/** Reads a manifest file; an unreadable file is an input error that names the file and the reason. */
export function readManifestFile(file: string, flag = "manifest"): ManifestSource {
  try {
    return { text: readFileSync(resolve(file), "utf8"), file };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : (err as Error).message;
    throw new CliInputError("InvalidParameterException", `${flag} ${JSON.stringify(file)}: cannot read the manifest file (${reason}).`);
  }
}

/** `--manifest` as the AWS CLI reads it: `file://` and `fileb://` load a file, anything else is the text itself. */
export function readManifestArgument(value: string): ManifestSource {
  for (const scheme of ["file://", "fileb://"]) {
    if (value.startsWith(scheme)) return readManifestFile(value.slice(scheme.length), "--manifest");
  }
  if (value.trim() === "") throw new CliInputError("MissingParameterException", "--manifest is empty: pass file://PATH or the manifest text.");
  return { text: value };
}

/** `Import`/`Export` from any spelling case; anything else is an input error naming the flag. */
export function parseJobType(value: string, flag = "--job-type"): JobType {
  const jobType = jobTypeOf(value.trim());
  if (jobType !== undefined) return jobType;
  throw new CliInputError("InvalidParameterException", `${flag} must be Import or Export, found ${JSON.stringify(value)}.`);
}

/** A whole number ≥ `min` from a flag value. */
export function parseCount(value: string, flag: string, min = 1): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new CliInputError("InvalidParameterException", `${flag} must be a whole number of at least ${min}, found ${JSON.stringify(value)}.`);
  }
  return n;
}
