import { OrderedMap } from "@js-sdsl/ordered-map";
import type { IotJobRecord } from "./records";

/** ListJobs' filters as the index keys them: each absent or one value (a thing group by its ARN). */
export interface JobFilter {
  status?: string | undefined;
  targetSelection?: string | undefined;
  namespaceId?: string | undefined;
  thingGroupArn?: string | undefined;
}

/** Where a job stands in ListJobs order: creation sequence, then jobId (only a hand-edited journal repeats a sequence). */
export interface JobPosition {
  sequence: number;
  jobId: string;
}

const byPosition = (a: JobPosition, b: JobPosition): number =>
  a.sequence !== b.sequence ? (a.sequence < b.sequence ? -1 : 1) : a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0;

interface DueKey {
  due: number;
  position: JobPosition;
}
// Written without subtraction: -Infinity - -Infinity is NaN, which would break the tree's order.
const byDue = (a: DueKey, b: DueKey): number => (a.due !== b.due ? (a.due < b.due ? -1 : 1) : byPosition(a.position, b.position));

const THING_GROUP_ARN = /^arn:[^:]+:iot:[^:]*:\d{12}:thinggroup\//;

/**
 * The key of one filter combination (absent members are part of the key: every combination has its own list). A
 * present member is marked `=`; only the last (the ARN) could hold a line break, so the key is unambiguous.
 */
function filterKey(f: JobFilter): string {
  const part = (v: string | undefined): string => (v === undefined ? "" : `=${v}`);
  return `${part(f.status)}\n${part(f.targetSelection)}\n${part(f.namespaceId)}\n${part(f.thingGroupArn)}`;
}

/** Every filter combination a job answers to: each filter absent or equal to the job's value (each target group). */
function keysOf(job: IotJobRecord): string[] {
  const namespace = job.spec["namespaceId"];
  const namespaces = [undefined, ...(typeof namespace === "string" ? [namespace] : [])];
  const groups = [undefined, ...new Set(job.targets.filter((t) => THING_GROUP_ARN.test(t)))];
  const keys: string[] = [];
  for (const status of [undefined, job.status]) {
    for (const targetSelection of [undefined, job.targetSelection]) {
      for (const namespaceId of namespaces) {
        for (const thingGroupArn of groups) keys.push(filterKey({ status, targetSelection, namespaceId, thingGroupArn }));
      }
    }
  }
  return keys;
}

interface Entry {
  position: JobPosition;
  keys: string[];
  due: number;
}

/**
 * One account+region's jobs for ListJobs: per filter combination, the matching jobs in creation order (a red-black
 * tree, so a page seeks to its token in O(log n) and reads only what it returns), and the jobs by the emulator time
 * at which catching up could next change them (`due`), so ListJobs brings up to date only the jobs the clock has
 * reached instead of every job of the scope. The backend re-files a job whenever it changes (status, targets).
 */
export class JobIndex {
  private readonly lists = new Map<string, OrderedMap<JobPosition, IotJobRecord>>();
  private readonly dueOrder = new OrderedMap<DueKey, IotJobRecord>([], byDue);
  private readonly entries = new Map<IotJobRecord, Entry>();

  /** Files a new or changed job under its current filter values and `due` time (Infinity = only a request can change it). */
  put(job: IotJobRecord, due: number): void {
    const position: JobPosition = { sequence: job.sequence, jobId: job.jobId };
    const keys = keysOf(job);
    const entry = this.entries.get(job);
    if (entry === undefined) {
      for (const key of keys) this.list(key).setElement(position, job);
      this.entries.set(job, { position, keys, due: Infinity });
    } else {
      const kept = new Set(keys);
      for (const key of entry.keys) if (!kept.has(key)) this.dropFrom(key, entry.position);
      const had = new Set(entry.keys);
      for (const key of keys) if (!had.has(key)) this.list(key).setElement(entry.position, job);
      entry.keys = keys;
    }
    this.setDue(job, due);
  }

  /** Changes when catching up could next change a filed job. */
  setDue(job: IotJobRecord, due: number): void {
    const entry = this.entries.get(job);
    if (entry === undefined || entry.due === due) return;
    if (entry.due !== Infinity) this.dueOrder.eraseElementByKey({ due: entry.due, position: entry.position });
    if (due !== Infinity) this.dueOrder.setElement({ due, position: entry.position }, job);
    entry.due = due;
  }

  /** Forgets a job (its deletion finished). */
  remove(job: IotJobRecord): void {
    const entry = this.entries.get(job);
    if (entry === undefined) return;
    for (const key of entry.keys) this.dropFrom(key, entry.position);
    if (entry.due !== Infinity) this.dueOrder.eraseElementByKey({ due: entry.due, position: entry.position });
    this.entries.delete(job);
  }

  /** The jobs whose due time is at or before `now`, earliest first. */
  dueBy(now: number): IotJobRecord[] {
    const out: IotJobRecord[] = [];
    for (const it = this.dueOrder.begin(); !it.equals(this.dueOrder.end()) && it.pointer[0].due <= now; it.next()) out.push(it.pointer[1]);
    return out;
  }

  /** The jobs matching `filter` after `position` (from the first without one), in creation order. */
  *after(filter: JobFilter, position: JobPosition | undefined): Generator<IotJobRecord> {
    const list = this.lists.get(filterKey(filter));
    if (list === undefined) return;
    const it = position === undefined ? list.begin() : list.upperBound(position);
    for (; !it.equals(list.end()); it.next()) yield it.pointer[1];
  }

  private list(key: string): OrderedMap<JobPosition, IotJobRecord> {
    let list = this.lists.get(key);
    if (list === undefined) {
      list = new OrderedMap<JobPosition, IotJobRecord>([], byPosition);
      this.lists.set(key, list);
    }
    return list;
  }

  private dropFrom(key: string, position: JobPosition): void {
    const list = this.lists.get(key);
    if (list === undefined) return;
    list.eraseElementByKey(position);
    if (list.size() === 0) this.lists.delete(key); // a filter value no job has any more holds no memory
  }
}
