import type { AddressInfo } from "node:net";
import { ADMIN_PREFIX, handleAdmin } from "./core/admin";
import { ChangeFeed } from "./core/changes";
import { DASHBOARD_ROUTE } from "./core/dashboard";
import { AccountDirectory, DEFAULT_ACCOUNTS, validateAccounts, type Account } from "./core/accounts";
import { FaultInjector } from "./core/faults";
import { silentLogger, type EmulatorLogger } from "./core/log";
import { DataDirLock } from "./core/data-dir-lock";
import { createEmulatorServer } from "./core/server";
import type { EmulatedService, ServiceEnv } from "./core/service";
import { RequestStats } from "./core/stats";
import { SERVICES } from "./services";

export type { Account, Bucket } from "./core/accounts";
export { DEFAULT_ACCOUNTS, AccountsConfigError, looksLikeRealAwsKey } from "./core/accounts";
export type { FaultRule, FaultKind } from "./core/faults";
export type { EmulatorLogger, LogEntry } from "./core/log";
export { stderrLogger } from "./core/log";
export { DataDirLockedError } from "./core/data-dir-lock";

/** Options of {@link startEmulator}. Everything is optional; defaults suit tests (random port, in memory, silent). */
export interface EmulatorOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** TCP port; 0 (the default in-process) picks a free one. */
  port?: number;
  /**
   * Directory of the durable job journals; without it, state is in memory only. One emulator per directory: another
   * one holding it makes start-up fail with {@link DataDirLockedError} before any journal is read.
   */
  dataDir?: string;
  /** Accounts (default: {@link DEFAULT_ACCOUNTS}). */
  accounts?: readonly Account[];
  /** Time-based lifecycle: one step every this many ms. Default: manual (admin API) only. */
  advanceAfterMs?: number;
  /** Verify request signatures (default true). `false` is for demos only. */
  verifySignatures?: boolean;
  /** Allow account keys that look like real AWS keys (AKIA…/ASIA…). Default false. */
  allowRealLookingKeys?: boolean;
  /** Current time in epoch ms (default Date.now): expiry and time-based progression read it. */
  clock?: () => number;
  /** Log sink (default silent). */
  logger?: EmulatorLogger;
  /** IoT: how long a deleted job shows DELETION_IN_PROGRESS before it is gone, in emulator ms. Default 1000. */
  iotDeletionDelayMs?: number;
  /** CreateJob calls allowed per account in any 24 hours (CreateJobQuotaExceededException). Default: no limit. */
  createJobQuotaPerDay?: number;
  /** Time each stage of an Import/Export request (parse, auth, dispatch, serialize, log) for `GET stats`. Default false. */
  profileStages?: boolean;
}

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:4599`. */
  endpoint: string;
  /** Region to configure clients with. */
  region: string;
  /** The dashboard page, `<endpoint>/_emulator/ui` (loopback only). */
  dashboardUrl: string;
  /** Accounts and their keys and buckets. */
  accounts: Account[];
  /** Stops listening, drops open connections and closes the journal. */
  close(): Promise<void>;
}

/** Default port of the `importexport-emulator` bin. */
export const DEFAULT_PORT = 4599;
/** Region the emulator reports (the global endpoint's signing region). */
export const EMULATOR_REGION = "us-east-1";

/**
 * Starts the emulator (HTTP on loopback by default) and resolves once it listens: every registered service
 * (emulator/services.ts) on the same port — the Import/Export Query API, the AWS IoT Jobs control plane (rest-json,
 * SigV4 scope `iot`) and STS GetCallerIdentity.
 * @throws DataDirLockedError when another live emulator holds `dataDir` (nothing is read or written then).
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const accounts = validateAccounts(options.accounts ?? DEFAULT_ACCOUNTS, options.allowRealLookingKeys ?? false);
  const directory = new AccountDirectory(accounts);
  const host = options.host ?? "127.0.0.1";
  const clock = options.clock ?? Date.now;
  const logger = options.logger ?? silentLogger;
  // Before any journal is read: a second process replaying and rewriting them would lose the first one's writes.
  const lock = options.dataDir !== undefined ? DataDirLock.acquire(options.dataDir) : undefined;
  try {
    return await start({ options, accounts, directory, host, clock, logger, lock });
  } catch (e) {
    lock?.release();
    throw e;
  }
}

/** What {@link startEmulator} settled before building the emulator (the data directory is held by then). */
interface Settled {
  options: EmulatorOptions;
  accounts: Account[];
  directory: AccountDirectory;
  host: string;
  clock: () => number;
  logger: EmulatorLogger;
  lock: DataDirLock | undefined;
}

async function start({ options, accounts, directory, host, clock, logger, lock }: Settled): Promise<RunningEmulator> {
  let clockOffset = 0;
  const now = (): number => clock() + clockOffset;
  const changes = new ChangeFeed();
  let endpoint = "";
  const env: ServiceEnv = {
    accounts: directory,
    faults: new FaultInjector(() => changes.bump()),
    stats: new RequestStats({ profileStages: options.profileStages === true }),
    logger,
    changes,
    now,
    signingNow: clock,
    verifySignatures: options.verifySignatures ?? true,
    endpoint: () => endpoint,
    dataDir: options.dataDir,
  };
  const services: EmulatedService[] = [];
  try {
    for (const factory of SERVICES) services.push(factory(env, options));
  } catch (e) {
    // A journal that cannot be replayed stops start-up: close the stores already opened.
    for (const service of services) service.close();
    throw e;
  }
  const adminContext = {
    services,
    faults: env.faults,
    stats: env.stats,
    accounts: directory,
    now,
    advanceClock: (ms: number) => {
      clockOffset += ms;
    },
    resetClock: () => {
      clockOffset = 0;
    },
    startedAt: Date.now(),
    changes,
    endpoint: () => endpoint,
  };
  const server = createEmulatorServer({ services, logger, admin: (req, res, path, body, rawQuery) => handleAdmin(adminContext, req, res, path, body, rawQuery) });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) => {
      // The port is taken (or the address is not this machine's): close the journals before the lock goes.
      for (const service of services) service.close();
      reject(e);
    });
    server.listen(options.port ?? 0, host, () => {
      server.removeAllListeners("error");
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const publicHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  endpoint = `http://${publicHost}:${port}`;
  logger({ level: "info", msg: "listening", endpoint, dataDir: options.dataDir ?? null, verifySignatures: options.verifySignatures ?? true });
  return {
    endpoint,
    region: EMULATOR_REGION,
    dashboardUrl: `${endpoint}${ADMIN_PREFIX}${DASHBOARD_ROUTE}`,
    accounts: accounts.map((a) => ({ ...a, buckets: a.buckets.map((b) => ({ ...b })) })),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          for (const service of services) service.close();
          lock?.release();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
