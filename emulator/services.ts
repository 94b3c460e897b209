/**
 * The registry of emulated services: one line per service, in matching order (the server gives a request to the
 * first that claims it; Import/Export, on the shared `/` path, takes whatever is left, so it comes last). The admin
 * API, `POST reset`, `GET health` and the dashboard read this list; nothing else names a service.
 */
import { importExportService, type ImportExportOptions } from "./importexport";
import { iotService, type IotOptions } from "./iot";
import type { ServiceFactory } from "./core/service";
import { stsService } from "./sts";

/** The emulator options the services read (EmulatorOptions includes them all). */
export type ServiceOptions = ImportExportOptions & IotOptions;

/** Every emulated service. */
export const SERVICES: readonly ServiceFactory<ServiceOptions>[] = [
  stsService, // GetCallerIdentity, claimed by its Action on `/`
  iotService, // IoT Jobs: credential scope `iot` or its REST paths
  importExportService, // Import/Export: every other request
];
