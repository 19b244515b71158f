// Run by streaming-memory.test.ts in its own node process (--expose-gc): jest's sandbox makes csv-parse several
// times slower and shares its heap with other tests, so heap readings there say little.
import { parseMoodleCourseLog } from '../../../src/ingest/formats/moodle-course-log-parser';
import { moodleLogReadable } from '../../../scripts/bench/generate-moodle-log';

const WARM_UP_ROWS = 50_000;
const SAMPLE_EVERY = 25_000;

async function probe(rows: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const result = parseMoodleCourseLog(moodleLogReadable({ rows }));
  let yielded = 0;
  let failed = 0;
  let baseline = 0;
  let peak = 0;
  for await (const row of result.rows) {
    yielded++;
    if (!row.ok) failed++;
    if (yielded === WARM_UP_ROWS) {
      gc();
      baseline = process.memoryUsage().heapUsed;
    } else if (yielded > WARM_UP_ROWS && yielded % SAMPLE_EVERY === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  }
  process.stdout.write(JSON.stringify({ yielded, failed, baseline, peak, summary: result.summary() }));
}

probe(Number(process.argv[2])).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
