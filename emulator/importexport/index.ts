/**
 * The AWS Import/Export web service (Query API 2010-06-01) as a registered service: the backend and its journal,
 * the Query edge (emulator/core/query/edge.ts) with Import/Export's operations, its admin routes and dashboard
 * part. It is the fallback: it answers every request no other service claims (the Query API has no path of its own).
 */
import { API_VERSION, SIGV4_SIGNING_NAME, isOperationName, type OperationName } from "../../sdk/model";
import { observed } from "../core/changes";
import { queryRefusal, sendQueryError, serveQuery, type QueryApi } from "../core/query/edge";
import type { ServiceFactory } from "../core/service";
import { openStore } from "../core/store";
import { importExportAdmin } from "./admin";
import { ImportExportBackend, type BackendOptions } from "./backend";
import { JOB_JOURNAL } from "./backend/job";
import { importExportDashboard } from "./dashboard";
import { operationInput, serializeResult } from "./wire";

/** SigV4 service names accepted for Import/Export calls (botocore signs `IngestionService`). */
export const IMPORTEXPORT_SIGV4_SERVICES = [SIGV4_SIGNING_NAME, "importexport"];

/** The emulator options Import/Export reads (see EmulatorOptions). */
export interface ImportExportOptions {
  advanceAfterMs?: number;
  createJobQuotaPerDay?: number;
}

/** Builds the Import/Export service (a registry entry). */
export const importExportService: ServiceFactory<ImportExportOptions> = (env, options) => {
  const store = observed(openStore(JOB_JOURNAL, env.dataDir, env.logger), env.changes, ["put", "remove", "clear"]);
  const backendOptions: BackendOptions = { accounts: env.accounts, store, now: env.now, baseUrl: env.endpoint };
  if (options.advanceAfterMs !== undefined) backendOptions.advanceAfterMs = options.advanceAfterMs;
  if (options.createJobQuotaPerDay !== undefined) backendOptions.createJobQuotaPerDay = options.createJobQuotaPerDay;
  const backend = new ImportExportBackend(backendOptions);
  const api: QueryApi<OperationName> = {
    version: API_VERSION,
    sigV4Services: IMPORTEXPORT_SIGV4_SERVICES,
    isOperation: isOperationName,
    run(operation, params, caller, requestId, lap) {
      const output = backend.handle(operation, operationInput(operation, params), caller);
      lap("dispatch");
      const xml = serializeResult(operation, output, requestId);
      lap("serialize");
      return xml;
    },
    // A ValidateOnly CreateJob/UpdateJob creates or changes nothing: its log line says so, or one real job looks like three.
    logFields: (action, params) => ((action === "CreateJob" || action === "UpdateJob") && params.get("ValidateOnly")?.toLowerCase() === "true" ? { validateOnly: true } : {}),
  };
  return {
    name: "importexport",
    matches: () => true,
    fallback: true,
    handle: (request, res) => serveQuery(env, api, request, res),
    sendError: (res, refusal, requestId) => sendQueryError(res, queryRefusal(refusal), requestId, undefined, refusal === "body-too-large"),
    admin: importExportAdmin(backend),
    dashboard: importExportDashboard(backend),
    close: () => store.close(),
  };
};
