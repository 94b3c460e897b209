/**
 * The registry of emulated services: one line per service. The server gives a request to the first that claims
 * it, in this order (Import/Export, the fallback on the shared `/` path, takes whatever the others leave); the
 * dashboard shows their jobs in this order. The admin API, `POST reset`, `GET health` and the dashboard read this
 * list; nothing else names a service.
 */
import { importExportService, type ImportExportOptions } from "./importexport";
import { iotService, type IotOptions } from "./iot";
import type { ServiceFactory } from "./core/service";
import { stsService } from "./sts";

/** The emulator options the services read (EmulatorOptions includes them all). */
export type ServiceOptions = ImportExportOptions & IotOptions;

/** Every emulated service. */
export const SERVICES: readonly ServiceFactory<ServiceOptions>[] = [
  importExportService, // Import/Export (Query): every request the others leave
  iotService, // IoT Jobs (rest-json): credential scope `iot` or its REST paths
  stsService, // STS GetCallerIdentity (Query), claimed by its Action on `/`
];
