// `npm run bench:load [-- --learners 1000 --connections 100 --duration 60]`: staff launch Waymark, then autocannon
// drives them through the module dashboard and learner pages. Prints requests/s, p50/p95/p99 and errors; the
// last line of output is JSON.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { TestBrowser, retryOnConnectionReset } from '../../test/platform';
import { ROLE } from '../../test/support/lti-roles';
import { DEMO_COURSE } from '../demo/demo-cohort';
import { listMembers } from '../../src/store/member-repository';
import { loadConfig } from '../../src/config';
import { startBenchModule } from './bench-module';
import { exitWithHelpIfAsked } from '../script-help';

const HELP = `Drive concurrent users through a real launch, the module dashboard and learner pages with autocannon.

  npm run bench:load [-- --learners N] [--connections N] [--duration SECONDS] [--launches N]

  --learners N        learners in the seeded module (default 1000)
  --connections N     concurrent users (default 100)
  --duration SECONDS  how long to load the pages (default 60)
  --launches N        real launches made first (default: one per connection)

Uses MONGODB_URI, or the embedded MongoDB. Ends with one line of JSON: requests/s, p50/p95/p99, errors.`;

interface PreparedUser {
  ltik: string;
  cookie: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]! * 10) / 10;
}

function positiveInteger(value: string | undefined, fallback: number, name: string): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number above 0`);
  return n;
}

async function main(): Promise<void> {
  exitWithHelpIfAsked(HELP);
  const { values } = parseArgs({ options: { learners: { type: 'string' }, connections: { type: 'string' }, duration: { type: 'string' }, launches: { type: 'string' } } });
  const learners = positiveInteger(values.learners, 1000, 'learners');
  const connections = positiveInteger(values.connections, 100, 'connections');
  const duration = positiveInteger(values.duration, 60, 'duration');
  const launchCount = positiveInteger(values.launches, connections, 'launches');

  console.log(`Seeding (or reusing) a module of ${learners} learners…`);
  const bench = await startBenchModule({ learners, mongodbUri: loadConfig().mongodbUri, log: console.log });
  try {
    const { platform, registration, seeded } = bench;
    console.log(`Module ready on ${bench.database}: ${seeded.counts.events} events, ${seeded.counts.dailyRows} daily rows (${bench.seedSeconds} s)`);

    // Real launches first: each user gets a launch token and cookies, as a browser holds them after opening Waymark.
    const users: PreparedUser[] = [];
    const launchMs: number[] = [];
    for (let i = 0; i < launchCount; i++) {
      const userId = `bench-tutor-${i}`;
      platform.addMember(DEMO_COURSE.id, { userId, name: `Bench Tutor ${i}`, roles: ['Instructor'] });
      const started = performance.now();
      // A launch reset by the network starts again in a fresh browser: the id token of the first one is spent.
      const { browser, page } = await retryOnConnectionReset(async () => {
        const fresh = new TestBrowser();
        return { browser: fresh, page: await fresh.launch(platform, { clientId: registration.clientId, deploymentId: registration.deploymentId, courseId: DEMO_COURSE.id, userId, roles: [ROLE.instructor] }) };
      });
      launchMs.push(performance.now() - started);
      const ltik = new URL(page.url).searchParams.get('ltik');
      if (page.status !== 200 || !ltik) throw new Error(`Launch ${i} ended on HTTP ${page.status} at ${new URL(page.url).pathname}`);
      const cookie = browser.cookies(bench.waymarkUrl).map((c) => `${c.name}=${c.value}`).join('; ');
      users.push({ ltik, cookie });
    }
    launchMs.sort((a, b) => a - b);
    console.log(`${launchCount} launches: p50 ${percentile(launchMs, 50)} ms, p95 ${percentile(launchMs, 95)} ms`);

    const learnerIds = (await listMembers(seeded.module.id)).filter((m) => seeded.cohort.learners.some((l) => l.userId === m.userId)).map((m) => m.id);
    let nextUser = 0;
    let nextLearner = 0;
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let finished: (result: autocannon.Result) => void = () => undefined;
    let failed: (err: unknown) => void = () => undefined;
    const done = new Promise<autocannon.Result>((resolve, reject) => ((finished = resolve), (failed = reject)));
    const instance = autocannon({
      url: bench.waymarkUrl,
      connections,
      duration,
      timeout: 30,
      requests: [
        {
          setupRequest(req, connectionContext) {
            const context = connectionContext as Record<string, unknown>;
            const user = (context.user as PreparedUser | undefined) ?? (context.user = users[nextUser++ % users.length]!);
            const views = ((context.views as number | undefined) ?? 0) + 1;
            context.views = views;
            // Every other page a tutor opens is one learner's page, reached from the dashboard.
            const path = views % 2 === 1 ? `/app/module?ltik=${encodeURIComponent(user.ltik)}` : `/app/learners/${learnerIds[nextLearner++ % learnerIds.length]}?ltik=${encodeURIComponent(user.ltik)}`;
            return { ...req, method: 'GET' as const, path, headers: { ...req.headers, cookie: user.cookie, accept: 'text/html' } };
          },
        },
      ],
    }, (err, result) => (err ? failed(err) : finished(result)));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
    console.log(`autocannon: ${connections} connections for ${duration} s against the dashboard and learner pages…`);
    const result = await done;
    latencies.sort((a, b) => a - b);
    const non2xx = [...statuses.entries()].filter(([s]) => s < 200 || s >= 300).reduce((sum, [, n]) => sum + n, 0);
    const errors = result.errors + result.timeouts + non2xx;
    const summary = {
      learners,
      events: seeded.counts.events,
      dailyRows: seeded.counts.dailyRows,
      connections,
      durationS: duration,
      database: bench.database,
      launches: launchCount,
      launchP50Ms: percentile(launchMs, 50),
      launchP95Ms: percentile(launchMs, 95),
      requests: latencies.length,
      requestsPerSec: Math.round((latencies.length / duration) * 10) / 10,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      p99Ms: percentile(latencies, 99),
      errors,
      timeouts: result.timeouts,
      statuses: Object.fromEntries(statuses),
    };
    console.log(`${summary.requests} page views, ${summary.requestsPerSec}/s; latency p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms, p99 ${summary.p99Ms} ms; errors ${errors}`);
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
