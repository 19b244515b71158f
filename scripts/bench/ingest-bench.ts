/**
 * Imports a generated Moodle course log through importActivityFile into a fresh database and reports the speed
 * and the peak memory (sampled). The log is generated as a stream, never whole in memory or on disk.
 *
 *   MONGODB_URI=mongodb://host:port/ npx tsx scripts/bench/ingest-bench.ts [--rows 1000000] [--members 500] [--batch-size N]
 *
 * Without MONGODB_URI an embedded MongoDB is started (its first run downloads a MongoDB binary). The database is
 * dropped at the end. The last line of output is JSON.
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { openDatabase, ensureIndexes } from '../../src/store/database';
import { ALL_MODELS, RETIRED_INDEXES } from '../../src/store/all-models';
import { upsertModuleFromLaunch } from '../../src/store/module-repository';
import { applyRoster, type RosterEntry } from '../../src/store/member-repository';
import { importActivityFile, DEFAULT_BATCH_SIZE } from '../../src/ingest/activity-file-import';
import { moodleLogReadable } from './generate-moodle-log';
import { exitWithHelpIfAsked } from '../script-help';

const HELP = `Generate a Moodle course log and import it through the activity importer; print rows per second and peak memory.

  npm run bench:ingest [-- --rows N] [--members N] [--batch-size N]

  --rows N         rows in the generated log (default 1000000)
  --members N      learners in the module (default 500)
  --batch-size N   events written per batch

Uses MONGODB_URI (a database of its own, dropped afterwards), or the embedded MongoDB. Ends with one line of JSON.`;

const TARGET_ROWS_PER_SECOND = 20_000;
const RSS_SAMPLE_MS = 100;
// The generator's learners have Moodle user ids 1000, 1001, ...; its staff 5, 6 and 7.
const FIRST_LEARNER_ID = 1000;
const STAFF_IDS = [5, 6, 7];

function withoutCredentials(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1');
}

async function main(): Promise<void> {
  exitWithHelpIfAsked(HELP);
  const { values } = parseArgs({ options: { rows: { type: 'string' }, members: { type: 'string' }, 'batch-size': { type: 'string' } } });
  const rows = Number(values.rows ?? 1_000_000);
  const members = Number(values.members ?? 500);
  const batchSize = Number(values['batch-size'] ?? DEFAULT_BATCH_SIZE);
  for (const [name, n] of [['rows', rows], ['members', members], ['batch-size', batchSize]] as const) {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a whole number above 0`);
  }

  const dbName = `waymark_bench_${crypto.randomBytes(4).toString('hex')}`;
  const db = await openDatabase({ uri: process.env.MONGODB_URI, embeddedPath: `./data/bench-${dbName}`, dbName });
  try {
    await ensureIndexes(ALL_MODELS, RETIRED_INDEXES);
    const module = await upsertModuleFromLaunch({ platformId: 'bench', contextId: '12', deploymentId: '1', title: 'Research Methods in Psychology', label: 'PSY1001', nrpsUrl: null, agsLineItemsUrl: null });
    const roster: RosterEntry[] = [
      ...Array.from({ length: members }, (_, i) => ({ userId: String(FIRST_LEARNER_ID + i), roles: ['Learner'] })),
      ...STAFF_IDS.map((id) => ({ userId: String(id), roles: ['Instructor'] })),
    ].map((m) => ({ ...m, name: '', givenName: '', familyName: '', email: '', sourcedId: '', status: 'active' as const }));
    await applyRoster(module.id, roster, new Date());

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), RSS_SAMPLE_MS);
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    let lastReport = 0;
    const report = await importActivityFile(module, moodleLogReadable({ rows, rosterSize: members }), {
      format: 'moodle-course-log',
      importId: `bench-${dbName}`,
      batchSize,
      onProgress: (read) => {
        if (read - lastReport < 100_000 && read < rows) return;
        lastReport = read;
        console.log(`${read} rows in ${elapsed().toFixed(1)} s (${Math.round(read / elapsed())} rows/s, rss ${(process.memoryUsage().rss / 1_048_576).toFixed(0)} MB)`);
      },
    });
    const seconds = elapsed();
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    // Every data row of the file counts, also the ones the parser skipped (system events, "logged in as").
    const rowsRead = report.rows + report.skipped;
    const rowsPerSecond = Math.round(rowsRead / seconds);
    const peakRssMb = Math.round(peakRss / 1_048_576);
    console.log(`Read ${rowsRead} rows: ${report.imported} events stored, ${report.alreadyStored} already stored, ${report.skipped} skipped, ${report.unmatchedCount} unmatched, ${report.failedCount} bad`);
    console.log(`${seconds.toFixed(1)} s, ${rowsPerSecond} rows/s (target ${TARGET_ROWS_PER_SECOND} on MongoDB), peak RSS ${peakRssMb} MB, batches of ${batchSize}`);
    console.log(JSON.stringify({ rows: rowsRead, rowsPerSecond, peakRssMb, database: withoutCredentials(db.uri), seconds: Math.round(seconds * 10) / 10, eventsStored: report.imported, batchSize }));
  } finally {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
