// FerretDB v1 runs an update as a read and then a separate write of the whole document, so two updates of one
// document at the same moment can lose one of them (MongoDB applies each atomically). Within one process, the
// writes to one document therefore wait for each other. Processes sharing a FerretDB database can still meet.

const lastWrite = new Map<string, Promise<unknown>>();

/** Runs `write` after every write already queued under `key` has settled, whatever their outcome. */
export function queuedWrite<T>(key: string, write: () => Promise<T>): Promise<T> {
  const before = lastWrite.get(key) ?? Promise.resolve();
  const result = before.then(write, write);
  const settled = result.then(
    () => undefined,
    () => undefined,
  );
  lastWrite.set(key, settled);
  // The queue of a document nobody is writing is forgotten, so the map holds only documents being written.
  void settled.then(() => {
    if (lastWrite.get(key) === settled) lastWrite.delete(key);
  });
  return result;
}

/** The queue of one module's document: launches, syncs and imports all write it. */
export const moduleWriteKey = (moduleId: string): string => `module:${moduleId}`;

/** The queue of one member's document: a launch's update and a flag staff set on that member wait for each other. */
export const memberWriteKey = (memberId: string): string => `member:${memberId}`;

/** The queue of one module's alerts: a recomputation's updates and staff's changes of state wait for each other. */
export const moduleAlertsWriteKey = (moduleId: string): string => `alerts:${moduleId}`;
