/**
 * The record store every emulated service keeps its state in: in memory by default, the fsync'ed journal
 * (./journal.ts) with `--data-dir`. A service describes its records once (a {@link JournalSpec}) and gets either.
 */
import { RecordJournal } from "./journal";
import { silentLogger, type EmulatorLogger } from "./log";

/** Where a service's acknowledged records live. `put`/`remove` return only once the change is durable. */
export interface RecordStore<T> {
  /** Every stored record (at start-up), in first-written order. */
  load(): T[];
  /** Stores the record's current state. */
  put(record: T): void;
  /** Forgets the record. */
  remove(record: T): void;
  /** Forgets every record (admin reset). */
  clear(): void;
  close(): void;
}

/** How a service's records are journaled. */
export interface JournalSpec<T> {
  /** File name inside the data directory (`jobs.journal`, `iot.journal`). */
  file: string;
  /** Name of the record member in each journal line (part of the file format). */
  field: string;
  /** The identity of a record: a later `put` with the same key replaces the earlier one. */
  keyOf: (record: T) => string;
  /** Why a replayed value is not a whole record the service can serve (undefined when it is one). */
  problem: (record: unknown) => string | undefined;
}

/** The default: nothing survives the process. */
export class MemoryStore<T> implements RecordStore<T> {
  load(): T[] {
    return [];
  }
  put(): void {}
  remove(): void {}
  clear(): void {}
  close(): void {}
}

/** The journal of `spec` in `dataDir`. @throws JournalError (on `load`) when a line other than a torn last one is not a whole record. */
export function openJournal<T>(spec: JournalSpec<T>, dataDir: string, logger: EmulatorLogger = silentLogger): RecordStore<T> {
  const journal = new RecordJournal<T>(dataDir, spec.file, spec.field, spec.keyOf, spec.problem, logger);
  return {
    load: () => journal.load(),
    put: (record) => journal.put(record),
    remove: (record) => journal.remove(spec.keyOf(record)),
    clear: () => journal.clear(),
    close: () => journal.close(),
  };
}

/** The journal of `spec` when there is a data directory, otherwise a {@link MemoryStore}. */
export function openStore<T>(spec: JournalSpec<T>, dataDir: string | undefined, logger: EmulatorLogger = silentLogger): RecordStore<T> {
  return dataDir === undefined ? new MemoryStore<T>() : openJournal(spec, dataDir, logger);
}
