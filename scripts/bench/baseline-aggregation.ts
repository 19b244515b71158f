// `tsx scripts/bench/baseline-aggregation.ts [--learners 1000] [--runs 5]`: the simplest alternative a university
// would build — the per-learner indicators computed by one MongoDB aggregation over the raw events on every page
// view — timed against Waymark's path (reading the daily rollups). Prints the ratio; the last line is JSON.
//
// The aggregation uses only $match and $group with $sum, which FerretDB v1 runs. Without date operators it can
// give totals per learner and source but not the per-week figures the rollups also hold, so it computes less.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Types } from 'mongoose';
import { EngagementEventModel } from '../../src/store/models/engagement-event-model';
import { listModuleRollups } from '../../src/store/daily-activity-repository';
import { analyseStoredModule } from '../../src/reports/module-analysis-service';
import { loadConfig } from '../../src/config';
import { startBenchModule } from './bench-module';
import { exitWithHelpIfAsked } from '../script-help';

const HELP = `Compare Waymark's rollups with the simplest alternative: one MongoDB aggregation over the raw events per page view.

  npm run bench:baseline [-- --learners N] [--runs N]

  --learners N   learners in the seeded module (default 1000)
  --runs N       timed runs of each, the median is reported (default 5)

Uses MONGODB_URI, or the embedded MongoDB. Ends with one line of JSON with the ratio.`;

/** learner -> source -> [count, minutes] */
type Totals = Map<string, Map<string, [number, number]>>;

function addTo(totals: Totals, memberId: string, source: string, count: number, minutes: number): void {
  let bySource = totals.get(memberId);
  if (!bySource) totals.set(memberId, (bySource = new Map()));
  const t = bySource.get(source) ?? [0, 0];
  bySource.set(source, [t[0] + count, t[1] + minutes]);
}

/** The alternative: group the module's raw events by learner and source on every page view. */
async function totalsFromRawEvents(moduleId: string): Promise<Totals> {
  const rows = await EngagementEventModel.aggregate<{ _id: { memberId: Types.ObjectId; source: string }; count: number; minutes: number }>([
    { $match: { moduleId: new Types.ObjectId(moduleId) } },
    { $group: { _id: { memberId: '$memberId', source: '$source' }, count: { $sum: '$count' }, minutes: { $sum: '$minutes' } } },
  ]);
  const totals: Totals = new Map();
  for (const r of rows) addTo(totals, String(r._id.memberId), r._id.source, r.count, r.minutes);
  return totals;
}

/** Waymark's path: the daily rollups, summed in the app. */
async function totalsFromRollups(moduleId: string): Promise<Totals> {
  const totals: Totals = new Map();
  for (const r of await listModuleRollups(moduleId)) addTo(totals, r.memberId, r.source, r.count, r.minutes);
  return totals;
}

/** Whether the two give the same counts, and the same minutes, for every learner and source. */
function compareTotals(a: Totals, b: Totals): { counts: boolean; minutes: boolean } {
  const same = { counts: a.size === b.size, minutes: a.size === b.size };
  for (const [member, bySource] of a) {
    for (const [source, [count, minutes]] of bySource) {
      const o = b.get(member)?.get(source);
      if (!o || o[0] !== count) same.counts = false;
      if (!o || Math.abs(o[1] - minutes) > 0.01) same.minutes = false;
    }
  }
  return same;
}

async function medianMs(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((x, y) => x - y);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

async function main(): Promise<void> {
  exitWithHelpIfAsked(HELP);
  const { values } = parseArgs({ options: { learners: { type: 'string' }, runs: { type: 'string' } } });
  const learners = Number(values.learners ?? 1000);
  const runs = Number(values.runs ?? 5);
  if (!Number.isInteger(learners) || learners < 1 || !Number.isInteger(runs) || runs < 1) throw new Error('--learners and --runs must be whole numbers above 0');

  const bench = await startBenchModule({ learners, mongodbUri: loadConfig().mongodbUri, log: console.log });
  try {
    const moduleId = bench.seeded.module.id;
    const same = compareTotals(await totalsFromRawEvents(moduleId), await totalsFromRollups(moduleId));
    const aggregationMs = await medianMs(runs, () => totalsFromRawEvents(moduleId));
    const rollupMs = await medianMs(runs, () => totalsFromRollups(moduleId));
    const fullAnalysisMs = await medianMs(runs, () => analyseStoredModule(moduleId, new Date()));
    const ratio = Math.round((aggregationMs / rollupMs) * 10) / 10;
    console.log(`${learners} learners, ${bench.seeded.counts.events} events, ${bench.seeded.counts.dailyRows} daily rows on ${bench.database}`);
    console.log(`one aggregation over raw events: ${aggregationMs} ms; rollups summed in the app: ${rollupMs} ms (ratio ${ratio})`);
    // FerretDB v1's $group returned 0 for $sum over the (fractional) minutes field in our runs: say so rather than hide it.
    console.log(`same counts: ${same.counts ? 'yes' : 'NO'}; same minutes: ${same.minutes ? 'yes' : 'NO (the database summed them differently)'}`);
    console.log(`the full analysis from rollups (every weekly indicator, bands and alerts): ${fullAnalysisMs} ms`);
    console.log(JSON.stringify({ learners, events: bench.seeded.counts.events, dailyRows: bench.seeded.counts.dailyRows, database: bench.database, aggregationMs, rollupMs, ratio, sameCounts: same.counts, sameMinutes: same.minutes, fullAnalysisFromRollupsMs: fullAnalysisMs }));
  } finally {
    await bench.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`The baseline benchmark failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
