import mongoose from 'mongoose';
import { TestBrowser } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { syncAssignments } from '../../../src/ingest/assignment-sync';
import { syncRoster } from '../../../src/ingest/roster-sync';
import { syncModuleFromPlatform } from '../../../src/ingest/platform-sync';
import { listAssignments, listSubmissions } from '../../../src/store/assignment-repository';
import { listMembers } from '../../../src/store/member-repository';
import { findModule, getModuleById } from '../../../src/store/module-repository';
import { listModuleRollups } from '../../../src/store/daily-activity-repository';
import { EngagementEventModel } from '../../../src/store/models/engagement-event-model';
import type { Module } from '../../../src/store/types';

const COURSE = 'PSY2002';
const AGS_PAGE_SIZE = 2;
// Short timeouts and backoff so failure paths take a second, not the production half-minute.
const FAST_SERVICE = { timeoutMs: 800, attempts: 3, backoffMs: 50 };

describe('roster and assignment sync from the platform (NRPS + AGS, read-only)', () => {
  let tool: RunningTool;
  let reg: Registration;
  let module: Module;
  const lineItemIds: string[] = [];

  const deps = () => ({ accessToken: tool.waymark.lti.accessToken, now: () => new Date(), serviceOptions: FAST_SERVICE });
  const fresh = async () => (await getModuleById(module.id))!;
  const counts = async () => ({
    assignments: (await listAssignments(module.id)).length,
    submissions: (await listSubmissions(module.id)).length,
    events: await EngagementEventModel.countDocuments({ source: 'assignment' }),
    members: (await listMembers(module.id)).length,
  });

  beforeAll(async () => {
    tool = await startTestTool({ LOG_LEVEL: 'silent' });
    reg = await registerManually(tool, { nrpsPageSize: 2, agsPageSize: AGS_PAGE_SIZE });
    reg.platform.addCourse({ id: COURSE, title: 'Research Methods II' });
    reg.platform.addMember(COURSE, { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
    for (let i = 1; i <= 5; i++) reg.platform.addMember(COURSE, { userId: `s${i}`, name: `Student ${i}`, email: `s${i}@example.ac.uk`, roles: ['Learner'] });
    // Seven line items at two per page: the line item list comes over four pages.
    for (let week = 1; week <= 7; week++) {
      lineItemIds.push(reg.platform.addLineItem(COURSE, { label: `Week ${week} reflection`, scoreMaximum: 10, endDateTime: `2026-10-${String(week + 10).padStart(2, '0')}T17:00:00Z` }));
    }
    // Five results on the first item (three pages): one late, one with no timestamp-bearing grade.
    reg.platform.addResult(COURSE, lineItemIds[0]!, { userId: 's1', resultScore: 8, timestamp: '2026-10-11T09:00:00Z' });
    reg.platform.addResult(COURSE, lineItemIds[0]!, { userId: 's2', resultScore: 7, timestamp: '2026-10-11T18:30:00Z' });
    reg.platform.addResult(COURSE, lineItemIds[0]!, { userId: 's3', resultScore: 9, timestamp: '2026-10-10T12:00:00Z' });
    reg.platform.addResult(COURSE, lineItemIds[0]!, { userId: 's4', resultScore: 6, timestamp: '2026-10-09T12:00:00Z' });
    reg.platform.addResult(COURSE, lineItemIds[0]!, { userId: 's5' });
    reg.platform.addResult(COURSE, lineItemIds[1]!, { userId: 's1', resultScore: 10, timestamp: '2026-10-12T10:00:00Z' });
    // A result for someone Waymark has never seen in the roster.
    reg.platform.addResult(COURSE, lineItemIds[1]!, { userId: 'stranger', resultScore: 4, timestamp: '2026-10-12T11:00:00Z' });

    await new TestBrowser().launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: COURSE, userId: 't1', roles: [ROLE.instructor] });
    const platform = await tool.waymark.lti.findPlatform(reg.platform.issuer, reg.clientId);
    module = (await findModule(await platform!.platformId(), COURSE))!;
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  it('when staff launch, then the line items and results arrive over every page, with due dates, submissions and lateness', async () => {
    const assignments = await listAssignments(module.id);
    expect(assignments).toHaveLength(7);
    expect(assignments.map((a) => a.key)).toEqual(expect.arrayContaining(lineItemIds.map((id) => `ags:${id}`)));
    const week1 = assignments.find((a) => a.title === 'Week 1 reflection')!;
    expect(week1.dueAt?.toISOString()).toBe('2026-10-11T17:00:00.000Z');
    expect(week1.scoreMaximum).toBe(10);

    // 7 line items at 2 per page = 4 pages, and 5 results at 2 per page = 3 pages for the first item.
    const log = reg.platform.requestLog();
    const lineItemPages = log.filter((r) => /\/lineitems(\?|$)/.test(r.path));
    expect(lineItemPages.length).toBeGreaterThanOrEqual(4);
    const firstItemResultPages = log.filter((r) => r.path.startsWith(new URL(`${lineItemIds[0]!.split('?')[0]}/results`).pathname));
    expect(firstItemResultPages.length).toBeGreaterThanOrEqual(3);

    const members = new Map((await listMembers(module.id)).map((m) => [m.id, m.userId]));
    const week1Submissions = (await listSubmissions(module.id)).filter((s) => s.assignmentId === week1.id);
    const byUser = Object.fromEntries(week1Submissions.map((s) => [members.get(s.memberId), s]));
    expect(Object.keys(byUser).sort()).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(byUser.s1).toMatchObject({ submitted: true, late: false, origin: 'ags' });
    expect(byUser.s2).toMatchObject({ submitted: true, late: true });
    expect(byUser.s5).toMatchObject({ submitted: true, late: null, submittedAt: null });

    // One assignment event per submission with a time (s5 has none; the stranger is not a member).
    const events = await EngagementEventModel.find({ moduleId: module.id, source: 'assignment' }).lean();
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.sourceId.startsWith('ags:'))).toBe(true);
    const rollups = (await listModuleRollups(module.id)).filter((r) => r.source === 'assignment');
    expect(rollups.reduce((n, r) => n + r.count, 0)).toBe(5);
    expect((await fresh()).assignmentsSyncError).toBeNull();
    expect((await fresh()).assignmentsSyncedAt).not.toBeNull();
  });

  it('when the sync runs twice, then nothing is added and nothing is ever written to the platform', async () => {
    const before = await counts();
    const first = await syncAssignments(await fresh(), deps());
    const second = await syncAssignments(await fresh(), deps());
    expect(first.ok && second.ok).toBe(true);
    if (second.ok) expect(second.result.submissionEventsAdded).toBe(0);
    expect(await counts()).toEqual(before);
    expect(reg.platform.scoreWriteAttempts()).toBe(0);
    expect(reg.platform.requestLog().filter((r) => r.path.includes('/lineitems') && r.method !== 'GET')).toEqual([]);
  });

  it('when a sync brings nothing new, then the stored analysis stays current; a new result makes it old', async () => {
    await syncAssignments(await fresh(), deps());
    const settled = (await fresh()).dataVersion;
    await syncAssignments(await fresh(), deps());
    expect((await fresh()).dataVersion).toBe(settled);

    reg.platform.addResult(COURSE, lineItemIds[2]!, { userId: 's3', resultScore: 5 });
    await syncAssignments(await fresh(), deps());
    expect((await fresh()).dataVersion).toBeGreaterThan(settled);
  });

  it('when staff set a due date, then a later sync without one keeps it', async () => {
    const id = reg.platform.addLineItem(COURSE, { label: 'Poster', scoreMaximum: 20 });
    expect((await syncAssignments(await fresh(), deps())).ok).toBe(true);
    const poster = (await listAssignments(module.id)).find((a) => a.key === `ags:${id}`)!;
    expect(poster.dueAt).toBeNull();
    const { setAssignmentDueDate } = await import('../../../src/store/assignment-repository');
    await setAssignmentDueDate(module.id, poster.id, new Date('2026-12-01T12:00:00Z'));
    await syncAssignments(await fresh(), deps());
    expect((await listAssignments(module.id)).find((a) => a.id === poster.id)!.dueAt?.toISOString()).toBe('2026-12-01T12:00:00.000Z');
  });

  it('when the gradebook answers 500 twice, then the sync retries with backoff and succeeds', async () => {
    const started = reg.platform.requestLog().length;
    reg.platform.failNext('ags', 2, { status: 500 });
    const outcome = await syncAssignments(await fresh(), deps());
    expect(outcome.ok).toBe(true);
    const firstCalls = reg.platform.requestLog().slice(started).filter((r) => /\/lineitems(\?|$)/.test(r.path));
    // The first page was asked for three times: two failures, then the answer.
    expect(firstCalls.length).toBeGreaterThanOrEqual(3);
    const times = firstCalls.slice(0, 3).map((r) => r.at.getTime());
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(times[1]! - times[0]!);
    expect((await fresh()).assignmentsSyncError).toBeNull();
  });

  it('when the gradebook keeps failing, then the previous assignments are kept and the error is recorded on the module', async () => {
    const before = await counts();
    reg.platform.failNext('ags', FAST_SERVICE.attempts, { status: 500 });
    const outcome = await syncAssignments(await fresh(), deps());
    expect(outcome.ok).toBe(false);
    expect(await counts()).toEqual(before);
    expect((await fresh()).assignmentsSyncError).toMatch(/Assignment sync failed: .*answered 500/);
    // The next good sync clears the error.
    expect((await syncAssignments(await fresh(), deps())).ok).toBe(true);
    expect((await fresh()).assignmentsSyncError).toBeNull();
  });

  it('when the platform hangs, then each call times out, is retried, and nothing stored is lost', async () => {
    const before = await counts();
    reg.platform.failNext('ags', FAST_SERVICE.attempts, { hangMs: 3000 });
    const outcome = await syncAssignments(await fresh(), deps());
    expect(outcome.ok).toBe(false);
    expect((await fresh()).assignmentsSyncError).toMatch(/did not answer in time/);
    expect(await counts()).toEqual(before);
  });

  it('when the token endpoint fails, then the roster and assignments are kept and both errors are recorded', async () => {
    const before = await counts();
    // ltijs keeps service tokens for their lifetime; forget them so the next sync must ask the token endpoint.
    await mongoose.model('accesstoken').deleteMany({});
    reg.platform.failNext('token', 2, { status: 500 });
    const outcome = await syncModuleFromPlatform(await fresh(), deps());
    expect(outcome.roster.ok).toBe(false);
    expect(outcome.assignments.ok).toBe(false);
    expect(await counts()).toEqual(before);
    const m = await fresh();
    expect(m.rosterSyncError).toMatch(/Roster sync failed/);
    expect(m.assignmentsSyncError).toMatch(/Assignment sync failed/);
  });

  it('when the platform stops accepting the access tokens Waymark keeps, then the sync asks for new ones and succeeds', async () => {
    const tokenRequests = () => reg.platform.requestLog().filter((r) => r.path === '/mod/lti/token.php').length;
    // A sync that succeeds leaves Waymark holding a token for each service; the next one asks for none.
    const warm = await syncModuleFromPlatform(await fresh(), deps());
    expect(warm.roster.ok && warm.assignments.ok).toBe(true);
    const held = tokenRequests();
    expect((await syncModuleFromPlatform(await fresh(), deps())).roster.ok).toBe(true);
    expect(tokenRequests()).toBe(held);

    reg.platform.revokeAccessTokens();
    const before = reg.platform.requestLog().filter((r) => r.path === '/mod/lti/token.php').length;
    const outcome = await syncModuleFromPlatform(await fresh(), deps());
    expect(outcome.roster.ok && outcome.assignments.ok).toBe(true);
    // One new token for the roster's scope and one for the gradebook's.
    expect(reg.platform.requestLog().filter((r) => r.path === '/mod/lti/token.php').length - before).toBe(2);
    expect((await fresh()).rosterSyncError).toBeNull();
  });

  it('when the roster answers 500 or hangs once, then the retry succeeds and no member is lost', async () => {
    reg.platform.failNext('nrps', 1, { status: 500 });
    expect((await syncRoster(await fresh(), deps())).ok).toBe(true);
    reg.platform.failNext('nrps', 1, { hangMs: 2000 });
    expect((await syncRoster(await fresh(), deps())).ok).toBe(true);
    expect((await listMembers(module.id)).filter((m) => m.status === 'active')).toHaveLength(6);
  });

  it('when a member leaves the course, then they are marked gone and keep their history', async () => {
    reg.platform.removeMember(COURSE, 's2');
    const outcome = await syncRoster(await fresh(), deps());
    expect(outcome.ok && outcome.result.markedGone).toBe(1);
    const s2 = (await listMembers(module.id)).find((m) => m.userId === 's2')!;
    expect(s2.status).toBe('gone');
    expect(s2.leftAt).not.toBeNull();
    expect(await EngagementEventModel.countDocuments({ memberId: s2.id })).toBeGreaterThan(0);
    expect((await listSubmissions(module.id, s2.id)).length).toBeGreaterThan(0);
    // Coming back makes them active again, with the same record.
    reg.platform.addMember(COURSE, { userId: 's2', name: 'Student 2', email: 's2@example.ac.uk', roles: ['Learner'] });
    await syncRoster(await fresh(), deps());
    const back = (await listMembers(module.id)).find((m) => m.userId === 's2')!;
    expect(back).toMatchObject({ id: s2.id, status: 'active', leftAt: null });
  });
});
