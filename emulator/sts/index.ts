/**
 * The slice of AWS STS clients ask before anything else (`GetCallerIdentity`, so `@aws-sdk/client-sts` and
 * `aws sts get-caller-identity` work against the emulator): a Query API on the shared `/` path, claimed by its
 * Action, answered from the signing account.
 */
import { isQueryAction, queryRefusal, sendQueryError, serveQuery, type QueryApi } from "../core/query/edge";
import { serializeForeignResult } from "../core/query/xml";
import type { ServiceFactory } from "../core/service";

/** STS protocol version and namespace. */
export const STS_VERSION = "2011-06-15";
export const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

const ACTION = "GetCallerIdentity";

/** Builds the STS service (a registry entry). It keeps no state. */
export const stsService: ServiceFactory<unknown> = (env) => {
  const api: QueryApi<typeof ACTION> = {
    version: STS_VERSION,
    namespace: STS_NAMESPACE,
    sigV4Services: ["sts"],
    isOperation: (action): action is typeof ACTION => action === ACTION,
    run(operation, _params, caller, requestId) {
      const { accountId } = caller.account;
      return serializeForeignResult(
        operation,
        STS_NAMESPACE,
        [
          ["Arn", `arn:aws:iam::${accountId}:user/importexport-emulator`],
          ["UserId", `EMULATORUSER${accountId}`],
          ["Account", accountId],
        ],
        requestId,
      );
    },
  };
  return {
    name: "sts",
    matches: (request) => isQueryAction(request, ACTION),
    handle: (request, res) => serveQuery(env, api, request, res),
    sendError: (res, refusal, requestId) => sendQueryError(res, queryRefusal(refusal), requestId, undefined, refusal === "body-too-large"),
    close: () => {},
  };
};
