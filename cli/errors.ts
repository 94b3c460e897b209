/**
 * What the `importexport` command does when something fails: one line on stderr, `importexport: <Code>: <message>`,
 * and an exit code a script can branch on. Never a stack trace. The SDK redacts the secrets it signed with from every
 * field of its errors; the command also redacts the secrets of its environment from the whole line it prints, since
 * not every error comes from the SDK (a credential provider's, a file system's).
 */
import {
  AmbiguousCreateJobError, ImportExportNetworkError, ImportExportServiceException, ImportExportValidationError,
} from "../sdk/errors";

/** Exit codes of the `importexport` command. */
export const ExitCode = {
  /** The command did what was asked. */
  Ok: 0,
  /** The service refused the request (an error response), or gave no usable answer. */
  ServiceError: 1,
  /** Bad flags, an unreadable or invalid manifest, missing credentials: fix the input and run again. */
  InputError: 2,
} as const;
/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the command reports as `importexport: <code>: <message>` with an exit code fixed by its kind. */
export abstract class CliFailure extends Error {
  /** The exit code this kind of failure ends the command with. */
  abstract readonly exitCode: ExitCode;
  /** Shown before the message. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * A usage or input problem found before anything was sent: bad flag values, a manifest file that cannot be read,
 * a manifest that fails local validation. Always exit code 2; `code` is `UsageError`, or the service code the input
 * would have been refused with.
 */
export class CliInputError extends CliFailure {
  override readonly name = "CliInputError";
  readonly exitCode = ExitCode.InputError;
}

/**
 * The emulator refused an admin call (`importexport emulator advance`, ...), or no emulator answered: exit code 1,
 * like a service refusal. `code` is `NotFound`, `Conflict`, `InvalidAdminRequest`, `ECONNREFUSED`, `NotAnEmulator`, ...
 */
export class EmulatorAdminError extends CliFailure {
  override readonly name = "EmulatorAdminError";
  readonly exitCode = ExitCode.ServiceError;
}

/** How a failure is reported: the code shown, the message and the exit code. */
export interface FailureReport {
  code: string;
  message: string;
  exitCode: ExitCode;
}

/** Credential chain failures (`CredentialsProviderError` and friends) are configuration problems, not refusals. */
function isCredentialsError(err: Error): boolean {
  return err.name === "CredentialsProviderError" || err.name === "ProviderError" || err.name === "TokenProviderError";
}

/** `text` ending with a full stop, so that advice can follow it. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** Classifies any thrown value into the code, message and exit code the command reports. */
export function describeFailure(err: unknown): FailureReport {
  if (err instanceof CliFailure) return { code: err.code, message: err.message, exitCode: err.exitCode };
  // Checked before the service exception: nothing was sent, the input is at fault.
  if (err instanceof ImportExportValidationError) return { code: err.code, message: err.message, exitCode: ExitCode.InputError };
  if (err instanceof ImportExportServiceException) return { code: err.code, message: err.message, exitCode: ExitCode.ServiceError };
  if (err instanceof ImportExportNetworkError) return { code: err.code, message: err.message, exitCode: ExitCode.ServiceError };
  if (err instanceof AmbiguousCreateJobError) return { code: err.name, message: err.message, exitCode: ExitCode.ServiceError };
  if (err instanceof Error) {
    if (isCredentialsError(err)) {
      return {
        code: "NoCredentials",
        message: `${sentence(err.message)} Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass --profile NAME.`,
        exitCode: ExitCode.InputError,
      };
    }
    return { code: err.name || "Error", message: err.message, exitCode: ExitCode.ServiceError };
  }
  return { code: "Error", message: String(err), exitCode: ExitCode.ServiceError };
}

/** Secrets the environment holds (the AWS default chain's variables), for redacting what the command prints. */
export function environmentSecrets(env: NodeJS.ProcessEnv): string[] {
  return ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"].flatMap((name) => {
    const value = env[name];
    return value ? [value] : [];
  });
}

/** `importexport: <Code>: <message>` on one line (newlines and runs of spaces collapsed). */
export function formatFailure(report: Pick<FailureReport, "code" | "message">): string {
  const message = report.message.replace(/\s+/g, " ").trim();
  return `importexport: ${report.code}: ${message}`;
}
