import LtijsDatabase from 'ltijs/dist/Utils/Database';

// ltijs reads the launch's id token and context token on every request, each with a filter on several fields.
// FerretDB v1 answers such a filter by decoding every document of the collection (one per person and course
// launched in the last day), about 45 ms of its CPU per page view with a hundred tutors. ltijs only checks
// that the tokens exist and copies them: Waymark's own launch session decides who may see what. So this store
// keeps what it read for a short while. Its own writes and Waymark's removals of tokens (erasure, expiry) drop
// what it holds at once; a write by another instance is seen within the hold time, and a person erased there is
// refused by their launch session, which erasure removes, meanwhile.

const CACHED = new Set(['idtoken', 'contexttoken']);
const LAUNCH_TOKEN_HOLD_MS = 30_000;
const MAX_HELD = 5_000;

const held = new Map<string, { at: number; value: unknown[] }>();

/** Forgets every token read: called after Waymark itself removes tokens. */
export function forgetHeldLaunchTokens(): void {
  held.clear();
}

/** Waits for a write of ltijs's, then forgets the tokens held if it wrote to a token collection. */
async function afterWrite(collection: string, write: Promise<boolean>): Promise<boolean> {
  const done = await write;
  if (CACHED.has(collection)) forgetHeldLaunchTokens();
  return done;
}

/** ltijs's MongoDB store with its token reads held for LAUNCH_TOKEN_HOLD_MS; everything else passes through. */
export class LaunchTokenStore extends LtijsDatabase {
  override async Get(encryptionKey: string | false, collection: string, query: Record<string, unknown>): Promise<unknown[] | false> {
    if (!CACHED.has(collection) || encryptionKey) return super.Get(encryptionKey, collection, query);
    const key = `${collection}\u0000${JSON.stringify(query)}`;
    const hit = held.get(key);
    if (hit && Date.now() - hit.at < LAUNCH_TOKEN_HOLD_MS) return hit.value;
    const value = await super.Get(encryptionKey, collection, query);
    // Only tokens found are held, so a launch that has just stored its tokens is never refused.
    if (value) {
      if (held.size >= MAX_HELD) held.clear();
      held.set(key, { at: Date.now(), value });
    }
    return value;
  }

  override async Insert(encryptionKey: string | false, collection: string, item: Record<string, unknown>, index?: Record<string, unknown>): Promise<boolean> {
    return afterWrite(collection, super.Insert(encryptionKey, collection, item, index));
  }

  override async Replace(encryptionKey: string | false, collection: string, query: Record<string, unknown>, item: Record<string, unknown>, index?: Record<string, unknown>): Promise<boolean> {
    return afterWrite(collection, super.Replace(encryptionKey, collection, query, item, index));
  }

  override async Modify(encryptionKey: string | false, collection: string, query: Record<string, unknown>, modification: Record<string, unknown>): Promise<boolean> {
    return afterWrite(collection, super.Modify(encryptionKey, collection, query, modification));
  }

  override async Delete(collection: string, query: Record<string, unknown>): Promise<boolean> {
    return afterWrite(collection, super.Delete(collection, query));
  }
}
