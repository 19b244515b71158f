// A seeded demo module of a chosen size behind a Waymark process of its own, for the benchmarks that need pages.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { openDatabase, ensureIndexes, describeDatabaseServer, type DatabaseHandle } from '../../src/store/database';
import { ALL_MODELS, RETIRED_INDEXES } from '../../src/store/all-models';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { buildApp } from '../../src/app';
import { startTestPlatform, type TestPlatform } from '../../test/platform';
import { spawnWaymark, readiness, SPAWNED_ADMIN_SECRET, type SpawnedWaymark } from '../../test/integration/resilience/spawned-waymark';
import { freePort, waitUntil } from '../../test/integration/resilience/free-port';
import { registerWithEachOther, type DemoRegistration } from '../demo/demo-registration';
import { seedDemoModule, type SeedDemoResult } from '../demo/seed-demo-module';
import { getModuleById } from '../../src/store/module-repository';
import { getModuleSnapshotWithSummaries } from '../../src/store/module-snapshot-repository';
import { listMembers } from '../../src/store/member-repository';
import { snapshotIsStale } from '../../src/reports/snapshot-freshness';
import { recomputeModuleAnalysis } from '../../src/reports/module-analysis-service';
import { todayIn } from '../../src/reports/engagement-members';

export interface BenchModule {
  platform: TestPlatform;
  registration: DemoRegistration;
  waymark: SpawnedWaymark;
  /** Where the bench reaches Waymark (its PUBLIC_URL). */
  waymarkUrl: string;
  seeded: SeedDemoResult;
  seedSeconds: number;
  database: string;
  close(): Promise<void>;
}

const BENCH_PLATFORM_PORT = 18100;

/** The database URI with a database name in its path, for the Waymark child process. */
function withDatabaseName(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/**
 * A reused module's stored analysis is from an earlier day, or from before the seeding saved its settings: the
 * first page would start a recomputation (the nightly job's work) in the middle of the measurement.
 */
async function bringAnalysisUpToDate(seeded: SeedDemoResult, log: (line: string) => void): Promise<void> {
  const moduleId = seeded.module.id;
  const [module, stored, members] = await Promise.all([getModuleById(moduleId), getModuleSnapshotWithSummaries(moduleId), listMembers(moduleId)]);
  if (!module) throw new Error('The seeded module is gone.');
  const now = new Date();
  if (!snapshotIsStale(stored?.snapshot ?? null, module, todayIn(now, module.timeZone), members, stored?.summaries ?? [])) return;
  const started = performance.now();
  await recomputeModuleAnalysis(moduleId, now);
  log(`  Brought the stored analysis up to date (${Math.round((performance.now() - started) / 100) / 10} s)`);
}

/**
 * Opens (or reuses) the database `waymark_bench_<learners>` on MONGODB_URI (an embedded MongoDB when unset) and
 * seeds the demo module with that many learners unless it is there. Seeding talks to a Waymark inside this
 * process, so one process recomputes the module at a time (two processes recomputing the same module at once
 * have deadlocked FerretDB v1); the benchmark then runs against a separate Waymark process on the same address,
 * started as production starts it.
 */
export async function startBenchModule(o: { learners: number; mongodbUri: string | undefined; log: (line: string) => void }): Promise<BenchModule> {
  const dbName = `waymark_bench_${o.learners}`;
  const db: DatabaseHandle = await openDatabase({ uri: o.mongodbUri, embeddedPath: 'data/bench-mongodb', dbName });
  await ensureIndexes(ALL_MODELS, RETIRED_INDEXES);
  const database = await describeDatabaseServer();
  const port = await freePort();
  const waymarkUrl = `http://localhost:${port}`;
  const env = {
    PORT: String(port),
    PUBLIC_URL: waymarkUrl,
    MONGODB_URI: withDatabaseName(db.uri, dbName),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: 'false',
    LTI_KEY: 'benchmark-lti-key-0123456789abcdef',
    ADMIN_SECRET: SPAWNED_ADMIN_SECRET,
  };

  const config = loadConfig({ ...env, LOG_LEVEL: 'error' });
  const seeding = http.createServer((await buildApp(config, createLogger(config.logLevel))).app);
  await new Promise<void>((resolve) => seeding.listen(port, '127.0.0.1', resolve));
  // A fixed address keeps the platform's issuer, so a later run finds the module it seeded and reuses it.
  const platform = await startTestPlatform({ name: 'Benchmark Moodle', port: BENCH_PLATFORM_PORT, nrpsPageSize: 1000, agsPageSize: 1000 });
  const registration = await registerWithEachOther(platform, waymarkUrl, SPAWNED_ADMIN_SECRET);
  const started = performance.now();
  const seeded = await seedDemoModule({ platform, registration, learners: o.learners, via: 'bulk', skipIfSeeded: true, log: (line) => o.log(`  ${line}`) });
  const seedSeconds = Math.round((performance.now() - started) / 100) / 10;
  await bringAnalysisUpToDate(seeded, o.log);
  seeding.closeAllConnections();
  await new Promise<void>((resolve) => seeding.close(() => resolve()));

  const waymark = await spawnWaymark(env, { port });
  await waitUntil('Waymark is ready', async () => (await readiness(waymark.directUrl)) === 200, 120_000);
  return {
    platform,
    registration,
    waymark,
    waymarkUrl,
    seeded,
    seedSeconds,
    database,
    async close() {
      waymark.signal('SIGTERM');
      await Promise.race([waymark.exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      await waymark.kill();
      await platform.close();
      await db.close();
    },
  };
}
