import { readModuleViewVersion } from './module-repository';

// What every staff page reads in bulk (a module's members, alerts and stored analysis), held per process and
// keyed by the module's view version. On FerretDB v1 each of those reads scans and decodes a whole collection
// (0.1-0.4 s on a 1,000-learner module), and pages served one after another made 100 staff wait seconds. Every
// writer of those documents raises the version after writing (markModuleViewChanged), and each cached read
// first reads the version by _id, so no instance serves data older than the last completed write: an erased
// person disappears from every instance's next page. The age limit covers a writer that died between its write
// and raising the version.

const MAX_AGE_MS = 5 * 60_000;
// A 1,000-learner module holds a few MB (members, summaries, alerts with their history).
const MAX_MODULES = 50;

interface Entry {
  version: number;
  loadedAt: number;
  reads: Map<string, Promise<unknown>>;
}

const entries = new Map<string, Entry>();

/** Freezes what the cache hands out, so a caller that sorted or edited it in place would fail loudly in tests. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !(value instanceof Date)) {
    Object.freeze(value);
    for (const inner of Object.values(value as Record<string, unknown>)) deepFreeze(inner);
  }
  return value;
}

function entryFor(moduleId: string, version: number, now: number): Entry {
  const current = entries.get(moduleId);
  if (current && current.version === version && now - current.loadedAt < MAX_AGE_MS) return current;
  const fresh: Entry = { version, loadedAt: now, reads: new Map() };
  entries.delete(moduleId);
  entries.set(moduleId, fresh);
  // Oldest-first iteration order makes the first key the least recently (re)loaded module.
  if (entries.size > MAX_MODULES) entries.delete(entries.keys().next().value!);
  return fresh;
}

/**
 * `load()` for this module, shared with every request that asks for the same `what` while the module's view
 * version stands. Concurrent requests share one load; a failed load is not kept. The result is frozen.
 */
export async function readThroughModuleCache<T>(moduleId: string, what: string, load: () => Promise<T>): Promise<T> {
  const version = await readModuleViewVersion(moduleId);
  if (version === null) return load();
  const entry = entryFor(moduleId, version, Date.now());
  let read = entry.reads.get(what) as Promise<T> | undefined;
  if (!read) {
    read = load().then(deepFreeze);
    entry.reads.set(what, read);
    read.catch(() => entry.reads.get(what) === read && entry.reads.delete(what));
  }
  return read;
}

/** Forgets everything held (tests that rewrite documents behind the repositories' back). */
export function clearModuleReadCache(): void {
  entries.clear();
}
