/**
 * The batch size for reads whose whole result is materialised anyway (a module's members, alerts, rollups): asked
 * for in the first reply, it leaves no cursor open between batches. FerretDB v1 keeps an SQLite connection for
 * each open cursor, and under a burst of page loads its pool ran dry and every read of the database hung. The
 * server still caps one reply at 16 MB; a larger result continues in further batches.
 */
export const WHOLE_RESULT_BATCH = 100_000;
