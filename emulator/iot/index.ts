/**
 * The AWS IoT Jobs control plane (rest-json, API 2015-05-28, SigV4 scope `iot`) as a registered service: its
 * backend and journal, the rest-json edge (./http.ts), admin routes under `/_emulator/iot/` and its dashboard part.
 */
import { join } from "node:path";
import { observed } from "../core/changes";
import { AdminError, type ServiceDashboard, type ServiceFactory } from "../core/service";
import { MemoryStore } from "../core/store";
import { handleIotAdmin } from "./admin";
import { IotAdminError, IotBackend } from "./backend";
import { IotError } from "./errors";
import { handleIot, iotBodyTooLarge, isIotRequest, sendIotError } from "./http";
import { JournalIotStore, type IotJobRecord, type IotRecord, type IotStore } from "./records";

/** The emulator options IoT reads (see EmulatorOptions). */
export interface IotOptions {
  iotDeletionDelayMs?: number;
}

/** Builds the IoT Jobs service (a registry entry). */
export const iotService: ServiceFactory<IotOptions> = (env, options) => {
  // IoT's journal stores changes to a job rather than the whole job each time (JournalIotStore, on the core's journal).
  const store = observed<IotStore>(env.dataDir === undefined ? new MemoryStore<IotRecord>() : new JournalIotStore(env.dataDir, env.logger), env.changes, ["put", "remove", "clear"]);
  const iot = new IotBackend({ store, now: env.now, deletionDelayMs: options.iotDeletionDelayMs ?? 1000 });
  const ctx = { ...env, iot };
  const dashboard: ServiceDashboard<IotJobRecord> = {
    kind: "iot",
    title: "IoT jobs",
    script: join(__dirname, "ui", "jobs.js"),
    jobs: () => iot.liveJobs(),
    accountOf: (job) => job.scope.accountId,
    view: (job) => iot.adminView(job),
  };
  return {
    name: "iot",
    matches: (request) => isIotRequest(request.headers, request.path),
    handle: (request, res) => handleIot(ctx, request, res),
    sendError: (res, refusal, requestId) =>
      refusal === "body-too-large" ? sendIotError(res, iotBodyTooLarge(), requestId, true) : sendIotError(res, new IotError("InternalFailureException", "An internal error occurred.", 500), requestId),
    admin: {
      prefix: "iot/",
      route(method, route, body) {
        try {
          return handleIotAdmin(iot, method, route, body);
        } catch (e) {
          if (e instanceof IotAdminError) throw new AdminError(e.status, e.message);
          throw e;
        }
      },
      reset: () => iot.reset(),
    },
    dashboard,
    close: () => iot.close(),
  };
};
