// A unique index refusing a write is how several stores here say "already there": inserts are cheap on every
// database (FerretDB v1 checks the index in SQLite, where a filter would scan), so they insert and read the refusal.

const DUPLICATE_KEY = 11000;

interface WriteErrorShape {
  code?: number;
  index?: number;
  err?: { code?: number; index?: number };
}

/**
 * The positions of the writes a failed write refused as duplicates (undefined for a single write), or null when
 * anything else went wrong. The driver gives a bulk write's errors as one WriteError or an array of them.
 */
export function duplicateWritesOf(err: unknown): Array<number | undefined> | null {
  const e = err as { code?: number; writeErrors?: unknown };
  const writeErrors = (Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : []) as WriteErrorShape[];
  if (writeErrors.length === 0) return e.code === DUPLICATE_KEY ? [undefined] : null;
  return writeErrors.every((w) => (w.code ?? w.err?.code) === DUPLICATE_KEY) ? writeErrors.map((w) => w.index ?? w.err?.index) : null;
}

/** Whether a single write was refused by a unique index. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number }).code === DUPLICATE_KEY;
}

/** Runs an insert; false when a unique index refused it, any other failure thrown. */
export async function insertedUnlessDuplicate(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
