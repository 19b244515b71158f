import { trusted } from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { spawnWaymark, type SpawnedWaymark } from '../resilience/spawned-waymark';
import { waitUntil } from '../resilience/free-port';
import { upsertModuleFromLaunch } from '../../../src/store/module-repository';
import { applyRoster } from '../../../src/store/member-repository';
import { getModuleSnapshot } from '../../../src/store/module-snapshot-repository';
import { JobLockModel } from '../../../src/store/models/job-lock-model';
import { PLATFORM_SYNC_JOB } from '../../../src/jobs/platform-sync-job';
import { ANALYTICS_RECOMPUTE_JOB } from '../../../src/jobs/analytics-recompute-job';
import { WEEKLY_DIGEST_JOB } from '../../../src/mail/weekly-digest-job';
import { LAUNCH_TOKEN_CLEANUP_JOB } from '../../../src/jobs/launch-token-cleanup-job';
import type { Module } from '../../../src/store/types';

// Waymark as production starts it (src/main.ts with JOBS_ENABLED): every scheduled job is registered and runs.

const EVERY_JOB = [PLATFORM_SYNC_JOB, ANALYTICS_RECOMPUTE_JOB, WEEKLY_DIGEST_JOB, 'retention-purge', LAUNCH_TOKEN_CLEANUP_JOB];

describe('scheduled jobs in the running app', () => {
  let db: TestDatabase;
  let waymark: SpawnedWaymark;
  let module: Module;

  beforeAll(async () => {
    db = await openTestDatabase();
    module = await upsertModuleFromLaunch({ platformId: 'jobs-site', contextId: 'JOBS1', deploymentId: '1', title: 'Jobs Module', label: 'JOBS1', nrpsUrl: null, agsLineItemsUrl: null });
    await applyRoster(
      module.id,
      ['j1', 'j2'].map((userId) => ({ userId, name: `Learner ${userId}`, givenName: 'Learner', familyName: userId, email: '', sourcedId: '', roles: ['Learner'], status: 'active' as const })),
      new Date(),
    );
    waymark = await spawnWaymark({ MONGODB_URI: db.uriWithDb, JOBS_ENABLED: 'true', LOG_LEVEL: 'info' });
  }, 120_000);

  afterAll(async () => {
    await waymark.kill();
    await db.close();
  });

  it('when Waymark starts with jobs enabled, then sync, nightly analysis, digest, retention purge and launch-token clean-up each run once and release their lease on SIGTERM', async () => {
    const finished = async () => (await JobLockModel.find({ lastRunAt: trusted({ $ne: null }) }).lean()).map((j) => String(j._id)).sort();
    await waitUntil('every scheduled job has run once', async () => (await finished()).length === EVERY_JOB.length, 120_000, 500).catch(async (err: Error) => {
      throw new Error(`${err.message}; finished: ${JSON.stringify(await finished())}\n${waymark.output().slice(-3000)}`);
    });
    expect(await finished()).toEqual([...EVERY_JOB].sort());
    const locks = await JobLockModel.find({}).lean();
    expect(locks.every((j) => j.lastError === null)).toBe(true);
    // The nightly job analysed the module without anyone opening it.
    expect((await getModuleSnapshot(module.id))?.learnerCount).toBe(2);

    waymark.signal('SIGTERM');
    expect(await waymark.exited).toBe(0);
    expect((await JobLockModel.find({ lockedBy: trusted({ $ne: null }) }).lean()).length).toBe(0);
  }, 180_000);
});
