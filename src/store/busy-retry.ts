// FerretDB v1 on SQLite runs an update as a read and then a write transaction. When another connection is writing
// to the database at that moment, SQLite can refuse the write at once with SQLITE_BUSY ("database is locked")
// instead of waiting. Nothing was written, so the update can simply run again. MongoDB never answers this.

const ATTEMPTS = 4;
const BASE_DELAY_MS = 5;

/** Whether the database refused a write because another one came first (FerretDB on SQLite). */
export function isBusyRefusal(err: unknown): boolean {
  return /SQLITE_BUSY/.test((err as { message?: unknown } | null)?.message as string);
}

/** Runs a write, and again (up to four times, after a short random pause) while the database refuses it as busy. */
export async function retryingBusy<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (!isBusyRefusal(err) || attempt >= ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * BASE_DELAY_MS * 2 ** attempt));
    }
  }
}
