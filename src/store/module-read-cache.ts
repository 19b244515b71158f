import { readModuleViewVersions } from './module-repository';
import { viewVersionsInScope } from './view-versions-scope';
import type { ModuleViewPart } from './types';

// What every staff page reads in bulk (a module's members, alerts and stored analysis), held per process and
// keyed by the module's version of that part. On FerretDB v1 each of those reads scans and decodes a whole
// collection (0.1-0.4 s on a 1,000-learner module), and pages served one after another made 100 staff wait
// seconds. Every writer of those documents raises the part's version after writing (markModuleViewChanged),
// and each cached read first reads the versions by _id, so no instance serves data older than the last
// completed write: an erased person disappears from every instance's next page. A request reads the versions
// once, with its module (view-versions-scope). The age limit covers a writer that died between its write and
// raising the version.

const MAX_AGE_MS = 5 * 60_000;
// A 1,000-learner module holds about 10 MB (members, summaries, member figures, alerts with their history).
const MAX_ENTRIES = 100;

type Patch = (held: unknown) => unknown;

interface Entry {
  version: number;
  loadedAt: number;
  read: Promise<unknown>;
  /** Patches for later versions whose writers finished before the writer of the next version (by version it starts from). */
  waiting?: Map<number, Patch>;
}

// Launches racing each other raise the version in one order and finish in another.
const MAX_WAITING_PATCHES = 50;

const entries = new Map<string, Entry>();

/** Freezes what the cache hands out, so a caller that sorted or edited it in place would fail loudly in tests. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !(value instanceof Date)) {
    Object.freeze(value);
    for (const inner of Object.values(value as Record<string, unknown>)) deepFreeze(inner);
  }
  return value;
}

/**
 * `load()` of what `name` says, read from this part of the module: shared with every request that asks for it
 * while the part's version stands, or an older one (versions only rise). Concurrent requests share one load; a
 * failed load is not kept. The result is frozen.
 */
export async function readThroughModuleCache<T>(moduleId: string, part: ModuleViewPart, name: string, load: () => Promise<T>): Promise<T> {
  const versions = viewVersionsInScope(moduleId) ?? (await readModuleViewVersions(moduleId));
  if (versions === null) return load();
  const key = `${moduleId}:${part}:${name}`;
  const now = Date.now();
  const held = entries.get(key);
  // Held data of a later version is newer than the caller asks for (a request that read the versions earlier).
  if (held && held.version >= versions[part] && now - held.loadedAt < MAX_AGE_MS) return held.read as Promise<T>;

  const read = load().then(deepFreeze);
  const entry: Entry = { version: versions[part], loadedAt: now, read };
  entries.delete(key);
  entries.set(key, entry);
  // Oldest-first iteration order makes the first key the least recently loaded part.
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  read.catch(() => entries.get(key) === entry && entries.delete(key));
  return read;
}

/**
 * What this process holds of the part, whatever its version: for a caller that only takes a hint from it and
 * checks what it relies on itself. Read through the cache when nothing is held.
 */
export function readHeldOrThrough<T>(moduleId: string, part: ModuleViewPart, name: string, load: () => Promise<T>): Promise<T> {
  const held = entries.get(`${moduleId}:${part}:${name}`);
  if (held && Date.now() - held.loadedAt < MAX_AGE_MS) return held.read as Promise<T>;
  return readThroughModuleCache(moduleId, part, name, load);
}

/**
 * A writer that changed one thing in a part, and raised its version from `from` to `to` by exactly one, brings
 * what this process holds of that part up to date itself instead of having the next page read it all again (a
 * person's first launch adds one member to a roster of a thousand). A patch that arrives before the one for the
 * version below it waits for it; held data of an older or newer version is left alone.
 */
export function patchHeldModuleRead<T>(moduleId: string, part: ModuleViewPart, name: string, from: number, to: number, patch: (held: T) => T): void {
  const key = `${moduleId}:${part}:${name}`;
  const held = entries.get(key);
  if (!held || to !== from + 1 || from < held.version) return;
  if (from > held.version) {
    held.waiting ??= new Map();
    if (held.waiting.size < MAX_WAITING_PATCHES) held.waiting.set(from, patch as Patch);
    return;
  }
  let read = held.read;
  let version = held.version;
  for (let next: Patch | undefined = patch as Patch; next; next = held.waiting?.get(version)) {
    held.waiting?.delete(version);
    read = read.then(next);
    version++;
  }
  const frozen = read.then(deepFreeze);
  const entry: Entry = { version, loadedAt: held.loadedAt, read: frozen, waiting: held.waiting };
  entries.set(key, entry);
  frozen.catch(() => entries.get(key) === entry && entries.delete(key));
}

/** Forgets everything held (tests that rewrite documents behind the repositories' back). */
export function clearModuleReadCache(): void {
  entries.clear();
}
