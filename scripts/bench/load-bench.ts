// `npm run bench:load [-- --learners 1000 --users 100 --think 5 --duration 60]`: staff open Waymark from Moodle
// (real launches) and move between the dashboard and learners' pages, pausing on each page as people do; then
// autocannon replays their page views with no pause at all, for the most the server can answer. Prints launch
// and page-view latencies, requests/s and errors; the last line of output is JSON.
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { DEMO_COURSE } from '../demo/demo-cohort';
import { listMembers } from '../../src/store/member-repository';
import { recordRosterSync } from '../../src/store/module-repository';
import { loadConfig } from '../../src/config';
import { startBenchModule } from './bench-module';
import { runUserJourneys, type LaunchedUser } from './user-journeys';
import { exitWithHelpIfAsked } from '../script-help';

const HELP = `Drive staff through real launches, the module dashboard and learner pages, then saturate the pages with autocannon.

  npm run bench:load [-- --learners N] [--users N] [--think SECONDS] [--ramp SECONDS] [--duration SECONDS] [--connections N] [--saturation SECONDS] [--new-staff] [--stale-roster]

  --learners N          learners in the seeded module (default 1000)
  --users N             staff using Waymark at once, each launching it first (default 100)
  --think SECONDS       mean pause on a page before the next click, drawn from 0.5-1.5 times it (default 5)
  --ramp SECONDS        users arrive (launch) at random times over this many seconds (default 20)
  --duration SECONDS    how long the users keep clicking (default 60)
  --connections N       autocannon connections replaying the users' page views with no pause (default: --users)
  --saturation SECONDS  how long autocannon runs (default 20)
  --new-staff           staff nobody has seen before, so every launch is someone's first (a new member of the
                        module); by default a reused module's staff are those of the earlier runs
  --stale-roster        the module's roster was last synced long ago, so the first staff launch syncs the roster
                        and the gradebook from the platform while the others arrive (the first use of a morning)

Uses MONGODB_URI, or the embedded MongoDB. Ends with one line of JSON: launch and page-view p50/p95/p99, requests/s, errors.`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]! * 10) / 10;
}

function latencies(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), p99Ms: percentile(sorted, 99) };
}

function positiveNumber(value: string | undefined, fallback: number, name: string, integer = true): number {
  const n = Number(value ?? fallback);
  if (!(n > 0) || (integer && !Number.isInteger(n))) throw new Error(`--${name} must be a ${integer ? 'whole ' : ''}number above 0`);
  return n;
}

/** The error lines (pino level 50 and above) of Waymark's log, each cut to a readable length. */
function waymarkErrors(log: string): string[] {
  return log.split('\n').filter((line) => /"level":(5|6)\d/.test(line)).map((line) => line.slice(0, 400));
}

/** autocannon with no pause between requests: each connection is one user's cookies and launch token. */
async function saturate(waymarkUrl: string, users: LaunchedUser[], learnerIds: readonly string[], connections: number, duration: number) {
  let nextUser = 0;
  let nextLearner = 0;
  const timings: number[] = [];
  const statuses = new Map<number, number>();
  let finished: (result: autocannon.Result) => void = () => undefined;
  let failed: (err: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => ((finished = resolve), (failed = reject)));
  const instance = autocannon(
    {
      url: waymarkUrl,
      connections,
      duration,
      timeout: 30,
      requests: [
        {
          setupRequest(req, connectionContext) {
            const context = connectionContext as Record<string, unknown>;
            const user = (context.user as LaunchedUser | undefined) ?? (context.user = users[nextUser++ % users.length]!);
            const views = ((context.views as number | undefined) ?? 0) + 1;
            context.views = views;
            const path = views % 2 === 1 ? `/app/module?ltik=${encodeURIComponent(user.ltik)}` : `/app/learners/${learnerIds[nextLearner++ % learnerIds.length]}?ltik=${encodeURIComponent(user.ltik)}`;
            return { ...req, method: 'GET' as const, path, headers: { ...req.headers, cookie: user.cookie, accept: 'text/html' } };
          },
        },
      ],
    },
    (err, result) => (err ? failed(err) : finished(result)),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    timings.push(responseTime);
    statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
  });
  const result = await done;
  const non2xx = [...statuses.entries()].filter(([s]) => s < 200 || s >= 300).reduce((sum, [, n]) => sum + n, 0);
  return {
    connections,
    durationS: duration,
    requests: timings.length,
    requestsPerSec: Math.round((timings.length / duration) * 10) / 10,
    ...latencies(timings),
    errors: result.errors + result.timeouts + non2xx,
    statuses: Object.fromEntries(statuses),
  };
}

async function main(): Promise<void> {
  exitWithHelpIfAsked(HELP);
  const { values } = parseArgs({
    options: {
      learners: { type: 'string' },
      users: { type: 'string' },
      think: { type: 'string' },
      ramp: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      saturation: { type: 'string' },
      'new-staff': { type: 'boolean' },
      'stale-roster': { type: 'boolean' },
    },
  });
  const learners = positiveNumber(values.learners, 1000, 'learners');
  const users = positiveNumber(values.users, 100, 'users');
  const thinkS = positiveNumber(values.think, 5, 'think', false);
  const rampS = positiveNumber(values.ramp, 20, 'ramp', false);
  const duration = positiveNumber(values.duration, 60, 'duration');
  const connections = positiveNumber(values.connections, users, 'connections');
  const saturationS = positiveNumber(values.saturation, 20, 'saturation');
  const newStaff = values['new-staff'] === true;
  const staleRoster = values['stale-roster'] === true;

  console.log(`Seeding (or reusing) a module of ${learners} learners…`);
  const bench = await startBenchModule({ learners, mongodbUri: loadConfig().mongodbUri, log: console.log });
  try {
    const { platform, registration, seeded } = bench;
    console.log(`Module ready on ${bench.database}: ${seeded.counts.events} events, ${seeded.counts.dailyRows} daily rows (${bench.seedSeconds} s)`);
    const learnerIds = (await listMembers(seeded.module.id)).filter((m) => seeded.cohort.learners.some((l) => l.userId === m.userId)).map((m) => m.id);
    if (staleRoster) await recordRosterSync(seeded.module.id, { at: new Date(0), error: null });

    console.log(`${users} staff launch Waymark over ${rampS} s and click through it for ${duration} s, pausing ${thinkS} s on a page on average…`);
    const journeys = await runUserJourneys({ platform, registration, courseId: DEMO_COURSE.id, waymarkUrl: bench.waymarkUrl, learnerIds, users, durationS: duration, thinkS, rampS, staffIdPrefix: newStaff ? `bench-tutor-${Date.now().toString(36)}-` : 'bench-tutor-' });
    const launch = latencies(journeys.launchMs);
    const views = latencies(journeys.viewMs);
    console.log(`${journeys.launchMs.length} launches: p50 ${launch.p50Ms} ms, p95 ${launch.p95Ms} ms, p99 ${launch.p99Ms} ms (each several requests)`);
    const launchRequests = latencies(journeys.launchRequestMs);
    const everyRequest = latencies([...journeys.launchRequestMs, ...journeys.viewMs]);
    console.log(`${journeys.launchRequestMs.length} requests of those launches to Waymark: p50 ${launchRequests.p50Ms} ms, p95 ${launchRequests.p95Ms} ms, p99 ${launchRequests.p99Ms} ms`);
    const steady = latencies(journeys.steadyViewMs);
    console.log(`${journeys.viewMs.length} page views: p50 ${views.p50Ms} ms, p95 ${views.p95Ms} ms, p99 ${views.p99Ms} ms; errors ${journeys.errors.length}`);
    console.log(`${journeys.steadyViewMs.length} of them after the last launch: p50 ${steady.p50Ms} ms, p95 ${steady.p95Ms} ms, p99 ${steady.p99Ms} ms`);
    console.log(`every request to Waymark (launch steps and page views): p50 ${everyRequest.p50Ms} ms, p95 ${everyRequest.p95Ms} ms, p99 ${everyRequest.p99Ms} ms`);
    for (const error of journeys.errors.slice(0, 10)) console.log(`  ${error}`);
    // What Waymark itself logged as errors says why (its log never holds names, tokens or bodies).
    if (journeys.errors.length > 0) for (const line of waymarkErrors(bench.waymark.output()).slice(0, 5)) console.log(`  Waymark: ${line}`);
    if (journeys.users.length === 0) throw new Error('No user could launch Waymark.');

    console.log(`autocannon: ${connections} connections with no pause for ${saturationS} s against the same pages…`);
    const saturation = await saturate(bench.waymarkUrl, journeys.users, learnerIds, connections, saturationS);
    console.log(`${saturation.requests} page views, ${saturation.requestsPerSec}/s; latency p50 ${saturation.p50Ms} ms, p95 ${saturation.p95Ms} ms, p99 ${saturation.p99Ms} ms; errors ${saturation.errors}`);

    const summary = {
      learners,
      events: seeded.counts.events,
      dailyRows: seeded.counts.dailyRows,
      database: bench.database,
      users,
      newStaff,
      staleRoster,
      thinkS,
      rampS,
      durationS: duration,
      launches: journeys.launchMs.length,
      launchP50Ms: launch.p50Ms,
      launchP95Ms: launch.p95Ms,
      launchP99Ms: launch.p99Ms,
      launchRequests: journeys.launchRequestMs.length,
      launchRequestP50Ms: launchRequests.p50Ms,
      launchRequestP95Ms: launchRequests.p95Ms,
      launchRequestP99Ms: launchRequests.p99Ms,
      requestP50Ms: everyRequest.p50Ms,
      requestP95Ms: everyRequest.p95Ms,
      requestP99Ms: everyRequest.p99Ms,
      views: journeys.viewMs.length,
      viewsPerSec: Math.round((journeys.viewMs.length / duration) * 10) / 10,
      ...views,
      steadyViews: journeys.steadyViewMs.length,
      steadyP50Ms: steady.p50Ms,
      steadyP95Ms: steady.p95Ms,
      steadyP99Ms: steady.p99Ms,
      errors: journeys.errors.length,
      saturation,
    };
    console.log(JSON.stringify(summary));
  } finally {
    await bench.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`The load benchmark failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
