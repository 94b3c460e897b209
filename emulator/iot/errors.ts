import { IOT_ERRORS, type IotErrorCode } from "../../sdk/iot/model";
import type { IotProblem } from "../../sdk/iot/validate";

/**
 * An IoT error: the rest-json envelope is the `x-amzn-ErrorType` header plus a `{"__type","message"}` body.
 * `extra` carries the members some errors model besides `message` (ResourceAlreadyExistsException's
 * `resourceId`/`resourceArn`). Messages name the field or job and never carry secrets.
 */
export class IotError extends Error {
  /** Wire code, e.g. `ResourceNotFoundException`. */
  readonly code: string;
  /** HTTP status of the response. */
  readonly status: number;
  /** Additional modelled members of the error body. */
  readonly extra: Readonly<Record<string, string>>;

  constructor(code: IotErrorCode | string, message: string, status?: number, extra: Record<string, string> = {}) {
    super(message);
    this.name = "IotError";
    this.code = code;
    this.status = status ?? (code in IOT_ERRORS ? IOT_ERRORS[code as IotErrorCode] : 400);
    this.extra = extra;
  }
}

/** InvalidRequestException (400): validation failures and state refusals (the only state error UpdateJob models). */
export function invalidRequest(message: string): IotError {
  return new IotError("InvalidRequestException", message);
}

/** ResourceNotFoundException (404). */
export function notFound(message: string): IotError {
  return new IotError("ResourceNotFoundException", message);
}

/** The first problem the shared validator (sdk/iot/validate) finds, as the error the service answers. */
export function refuse(problem: IotProblem): never {
  throw new IotError(problem.code, `${problem.field} ${problem.rule}.`);
}
