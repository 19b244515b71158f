import mongoose from 'mongoose';
import LtijsDatabase from 'ltijs/dist/Utils/Database';
import { insertedUnlessDuplicate } from '../store/duplicate-key';

// ltijs finds a launch's id token, context token and nonce by a filter on their fields: on every launch, and the
// two tokens again on every request. FerretDB v1 answers such a filter by decoding every document of the
// collection in Go (about 0.3 s of its CPU per launch with a few hundred tutors), and only a lone _id filter
// reaches SQLite. So this store keeps each of them under an _id made of the very fields ltijs looks it up by,
// and finds it by that _id; the documents keep their fields, so every filter ltijs or Waymark uses (Modify,
// Delete, erasure, expiry) still finds them. On MongoDB the _id is simply its primary index.
//
// It also holds the tokens it read or wrote under a key for a short while: ltijs only checks they exist and copies
// them, and Waymark's own launch session decides who may see what. Its writes by filter and Waymark's removals of
// tokens (erasure, expiry) drop everything held at once; a write by another instance is seen within the hold
// time, and a person erased there is refused by their launch session meanwhile.

/** The fields ltijs finds each keyed collection's documents by, in the order they make up the _id. */
const KEY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  idtoken: ['iss', 'clientId', 'deploymentId', 'user'],
  contexttoken: ['contextId', 'user'],
  nonce: ['nonce'],
};
const HELD = new Set(['idtoken', 'contexttoken']);
const LAUNCH_TOKEN_HOLD_MS = 30_000;
const MAX_HELD = 5_000;

const held = new Map<string, { at: number; value: unknown[] }>();

/** Forgets every token read: called after Waymark itself removes tokens. */
export function forgetHeldLaunchTokens(): void {
  held.clear();
}

/** The _id for a query of exactly the collection's key fields, all strings; otherwise undefined. */
export function launchTokenKey(collection: string, query: Record<string, unknown>): string | undefined {
  const fields = KEY_FIELDS[collection];
  if (!fields || Object.keys(query).length !== fields.length) return undefined;
  const values = fields.map((f) => query[f]);
  return values.every((v) => typeof v === 'string') ? JSON.stringify([collection, ...values]) : undefined;
}

/** ltijs's model, for its schema's casting and defaults, and its collection through the driver (the _id is a string). */
function modelOf(collection: string) {
  return mongoose.model(collection);
}

/** The document ltijs's model would store for the item (its defaults, such as createdAt, applied), under the key. */
function keyedDocument(collection: string, key: string, item: Record<string, unknown>): Record<string, unknown> {
  const Model = modelOf(collection);
  const doc = new Model(item).toObject({ depopulate: true, versionKey: false }) as Record<string, unknown>;
  return { ...doc, _id: key };
}

function hold(key: string, value: unknown[]): void {
  if (held.size >= MAX_HELD) held.clear();
  held.set(key, { at: Date.now(), value });
}

/** Waits for a write of ltijs's by filter, then forgets the tokens held if it wrote to a token collection. */
async function afterWrite(collection: string, write: Promise<boolean>): Promise<boolean> {
  const done = await write;
  if (HELD.has(collection)) forgetHeldLaunchTokens();
  return done;
}

/**
 * Waits for a write of one keyed document, then holds what it wrote: the launch that stored its tokens reads them
 * on its very next request. Only that key changed, so the other tokens held stay.
 */
async function afterKeyedWrite(collection: string, doc: Record<string, unknown>, write: Promise<unknown>): Promise<boolean> {
  await write;
  if (HELD.has(collection)) {
    const { _id: key, ...stored } = doc;
    hold(key as string, [stored]);
  }
  return true;
}

/** ltijs's MongoDB store with its token and nonce documents keyed by _id and token reads held; everything else passes through. */
export class LaunchTokenStore extends LtijsDatabase {
  override async Get(encryptionKey: string | false, collection: string, query: Record<string, unknown>): Promise<unknown[] | false> {
    const key = encryptionKey ? undefined : launchTokenKey(collection, query);
    if (key === undefined) return super.Get(encryptionKey, collection, query);
    const heldKey = HELD.has(collection) ? key : undefined;
    const hit = heldKey === undefined ? undefined : held.get(heldKey);
    if (hit && Date.now() - hit.at < LAUNCH_TOKEN_HOLD_MS) return hit.value;
    const value = await this.getKeyed(collection, key, query);
    // Only tokens found are held, so a launch that has just stored its tokens is never refused.
    if (value && heldKey !== undefined) hold(heldKey, value);
    return value;
  }

  /**
   * The document under the key. A token stored before tokens were keyed is found by ltijs's own filter (they
   * last a day); a nonce is not, as ltijs refuses an id token older than a minute whatever its nonce.
   */
  private async getKeyed(collection: string, key: string, query: Record<string, unknown>): Promise<unknown[] | false> {
    const doc = await modelOf(collection).collection.findOne({ _id: key } as Record<string, unknown>, { projection: { _id: 0, __v: 0 } });
    if (doc) return [doc];
    return collection === 'nonce' ? false : super.Get(false, collection, query);
  }

  override async Insert(encryptionKey: string | false, collection: string, item: Record<string, unknown>, index?: Record<string, unknown>): Promise<boolean> {
    const key = encryptionKey ? undefined : launchTokenKey(collection, item);
    if (key === undefined) return afterWrite(collection, super.Insert(encryptionKey, collection, item, index));
    // A second insert of the same nonce fails on the _id, so two launches racing with one nonce cannot both pass.
    const doc = keyedDocument(collection, key, item);
    return afterKeyedWrite(collection, doc, modelOf(collection).collection.insertOne(doc as never));
  }

  override async Replace(encryptionKey: string | false, collection: string, query: Record<string, unknown>, item: Record<string, unknown>, index?: Record<string, unknown>): Promise<boolean> {
    const key = encryptionKey ? undefined : launchTokenKey(collection, query);
    if (key === undefined) return afterWrite(collection, super.Replace(encryptionKey, collection, query, item, index));
    const doc = keyedDocument(collection, key, item);
    // Inserted when new (FerretDB v1 checks the unique _id without reading the collection); replaced when there.
    const tokens = modelOf(collection).collection;
    const write = (async () => (await insertedUnlessDuplicate(() => tokens.insertOne(doc as never))) || (await tokens.replaceOne({ _id: key } as Record<string, unknown>, doc, { upsert: true })))();
    return afterKeyedWrite(collection, doc, write);
  }

  override async Modify(encryptionKey: string | false, collection: string, query: Record<string, unknown>, modification: Record<string, unknown>): Promise<boolean> {
    return afterWrite(collection, super.Modify(encryptionKey, collection, query, modification));
  }

  override async Delete(collection: string, query: Record<string, unknown>): Promise<boolean> {
    return afterWrite(collection, super.Delete(collection, query));
  }
}
