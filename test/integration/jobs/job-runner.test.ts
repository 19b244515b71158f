import { TestBrowser } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { JobRunner, type JobDefinition } from '../../../src/jobs/job-runner';
import { registerPlatformSyncJob, PLATFORM_SYNC_JOB } from '../../../src/jobs/platform-sync-job';
import { claimJob, ensureJobDocument, getJobState } from '../../../src/store/job-lock-repository';
import { listModules } from '../../../src/store/module-repository';
import { listMembers } from '../../../src/store/member-repository';
import { listAssignments } from '../../../src/store/assignment-repository';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const HOUR = 3_600_000;

/** Waits until `check` holds, polling; fails the test after `ms`. */
async function eventually(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(50);
  }
}

describe('MongoDB-backed job runner', () => {
  let tool: RunningTool;
  const runners: JobRunner[] = [];
  const runner = (options: ConstructorParameters<typeof JobRunner>[0] = {}) => {
    const r = new JobRunner({ pollMs: 50, ...options });
    runners.push(r);
    return r;
  };

  beforeAll(async () => {
    tool = await startTestTool({ LOG_LEVEL: 'silent' });
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await tool.close();
  });

  it('when five instances start on one database at the same moment, then a due job runs once and its next run is scheduled', async () => {
    let runs = 0;
    const job: JobDefinition = {
      name: 'count-once',
      everyMs: HOUR,
      async run() {
        runs++;
        await sleep(200);
      },
    };
    const instances = Array.from({ length: 5 }, () => runner());
    for (const r of instances) r.registerJob(job);
    for (const r of instances) r.start();
    await eventually(async () => (await getJobState('count-once'))?.lastRunAt !== null && runs > 0);
    await sleep(600); // several more polls by every instance
    expect(runs).toBe(1);
    const state = (await getJobState('count-once'))!;
    expect(state.lockedUntil).toBeNull();
    expect(state.lastError).toBeNull();
    expect(state.nextRunAt!.getTime() - state.lastRunAt!.getTime()).toBe(HOUR);
  });

  it('when two instances are asked to run the same job now, then only one runs it', async () => {
    let runs = 0;
    const job: JobDefinition = { name: 'run-now', everyMs: HOUR, firstRunDelayMs: HOUR, run: async () => void (runs++, await sleep(300)) };
    const a = runner();
    const b = runner();
    a.registerJob(job);
    b.registerJob(job);
    const results = await Promise.all([a.runNow('run-now'), b.runNow('run-now')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
  });

  it('when a job fails, then the error is recorded and the lease released for the next run', async () => {
    const r = runner();
    r.registerJob({ name: 'failing', everyMs: HOUR, firstRunDelayMs: HOUR, run: async () => Promise.reject(new Error('platform unreachable')) });
    expect(await r.runNow('failing')).toBe(true);
    const state = (await getJobState('failing'))!;
    expect(state.lastError).toBe('platform unreachable');
    expect(state.lockedUntil).toBeNull();
    expect(await r.runNow('failing')).toBe(true);
  });

  it('when an instance died holding the lease, then another takes the job over once the lease has expired', async () => {
    const now = new Date();
    await ensureJobDocument('orphaned', now);
    expect(await claimJob('orphaned', 'a-crashed-instance', now, 400, false)).toBe(1);
    let runs = 0;
    const r = runner();
    r.registerJob({ name: 'orphaned', everyMs: HOUR, run: async () => void runs++ });
    r.start();
    await sleep(200);
    expect(runs).toBe(0); // still leased to the dead instance
    await eventually(() => runs === 1);
    expect((await getJobState('orphaned'))!.generation).toBe(2);
  });

  it('when a long job runs, then its lease is extended, and stopping the runner ends it and hands the lease back', async () => {
    let sawAbort = false;
    const r = runner({ leaseMs: 3000 });
    r.registerJob({
      name: 'long',
      everyMs: HOUR,
      async run({ signal }) {
        while (!signal.aborted) await sleep(50);
        sawAbort = true;
      },
    });
    r.start();
    await eventually(async () => Boolean((await getJobState('long'))?.lockedUntil));
    const firstLease = (await getJobState('long'))!.lockedUntil!.getTime();
    await eventually(async () => (await getJobState('long'))!.lockedUntil!.getTime() > firstLease, 5000);
    await r.stop();
    expect(sawAbort).toBe(true);
    expect((await getJobState('long'))!.lockedUntil).toBeNull();
  });

  describe('the platform sync job', () => {
    let reg: Registration;

    beforeAll(async () => {
      reg = await registerManually(tool);
      for (const course of ['JOB1', 'JOB2']) {
        reg.platform.addCourse({ id: course, title: `Course ${course}` });
        reg.platform.addMember(course, { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
        await new TestBrowser().launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: course, userId: 't1', roles: [ROLE.instructor] });
      }
    });

    afterAll(async () => {
      await reg.platform.close();
    });

    it('when it runs, then every module gets its roster and assignments from the platform', async () => {
      reg.platform.addMember('JOB1', { userId: 's1', name: 'New Student', roles: ['Learner'] });
      reg.platform.addMember('JOB2', { userId: 's2', name: 'Other Student', roles: ['Learner'] });
      reg.platform.addLineItem('JOB2', { label: 'Essay', scoreMaximum: 100, endDateTime: '2026-11-30T17:00:00Z' });
      const r = runner();
      registerPlatformSyncJob(r, { accessToken: tool.waymark.lti.accessToken, now: () => new Date(), everyHours: 6 });
      expect(await r.runNow(PLATFORM_SYNC_JOB)).toBe(true);
      const modules = await listModules();
      const byCourse = Object.fromEntries(modules.map((m) => [m.contextId, m]));
      expect((await listMembers(byCourse.JOB1!.id)).map((m) => m.userId).sort()).toEqual(['s1', 't1']);
      expect((await listMembers(byCourse.JOB2!.id)).map((m) => m.userId).sort()).toEqual(['s2', 't1']);
      expect((await listAssignments(byCourse.JOB2!.id)).map((a) => a.title)).toEqual(['Essay']);
      const state = (await getJobState(PLATFORM_SYNC_JOB))!;
      expect(state.nextRunAt!.getTime() - state.lastRunAt!.getTime()).toBe(6 * HOUR);
      expect(reg.platform.scoreWriteAttempts()).toBe(0);
    });
  });
});
