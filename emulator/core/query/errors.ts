import { errors, isKnownErrorCode, type ErrorCode } from "../../../sdk/model";

/**
 * An error the emulator answers with: a Query `ErrorResponse` carrying `code`, an HTTP status and a message.
 *
 * Every rule in the backend, auth and wire layers throws one of these (so it lives beside them, not in one of them); the server turns it into XML. Messages name
 * the offending field and never contain secrets (secret keys, session tokens, signatures).
 */
export class ServiceError extends Error {
  /** Wire code (`InvalidJobIdException`, `SignatureDoesNotMatch`, ...). */
  readonly code: string;
  /** HTTP status of the response. */
  readonly status: number;
  /** `Sender` for client faults, `Receiver` for server faults (ErrorResponse/Error/Type). */
  readonly type: "Sender" | "Receiver";

  constructor(code: ErrorCode | string, message?: string, status?: number) {
    const known = isKnownErrorCode(code) ? errors[code] : undefined;
    super(message ?? known?.message ?? code);
    this.name = "ServiceError";
    this.code = code;
    this.status = status ?? known?.httpStatus ?? 400;
    this.type = this.status >= 500 ? "Receiver" : "Sender";
  }
}

/** Shorthand: the model's default message for `code`, followed by a detail that names the field. */
export function serviceError(code: ErrorCode, detail?: string): ServiceError {
  const base = errors[code].message;
  return new ServiceError(code, detail === undefined ? base : `${base} ${detail}`);
}
