import { TestBrowser } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { claimModuleSync, findModule, releaseModuleSync } from '../../../src/store/module-repository';
import { listMembers } from '../../../src/store/member-repository';

// A staff launch syncs a stale roster before its page; staff launching together share one sync, and a module
// another process is syncing is left to it.

describe('the platform sync a staff launch starts', () => {
  let tool: RunningTool;
  let reg: Registration;
  const STAFF = ['t1', 't2', 't3', 't4', 't5', 't6'];

  const rosterFetches = () => reg.platform.requestLog().filter((r) => r.path.endsWith('/memberships')).length;
  const launch = (courseId: string, userId: string, role: string = ROLE.instructor) =>
    new TestBrowser().launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId, userId, roles: [role] });
  const moduleOf = async (courseId: string) => {
    const platform = await tool.waymark.lti.findPlatform(reg.platform.issuer, reg.clientId);
    return (await findModule(await platform!.platformId(), courseId))!;
  };

  beforeAll(async () => {
    tool = await startTestTool({ LOG_LEVEL: 'silent' });
    reg = await registerManually(tool);
    for (const course of ['SYN101', 'SYN202', 'SYN303']) {
      reg.platform.addCourse({ id: course, title: `Course ${course}` });
      for (const userId of STAFF) reg.platform.addMember(course, { userId, name: `Teacher ${userId}`, roles: ['Instructor'] });
      for (let i = 1; i <= 4; i++) reg.platform.addMember(course, { userId: `s${i}`, name: `Student ${i}`, roles: ['Learner'] });
    }
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  it('when six staff launch at once into a module never synced, then the roster is fetched once, before the first one’s page', async () => {
    const before = rosterFetches();
    const pages = await Promise.all(STAFF.map((userId) => launch('SYN101', userId)));
    expect(pages.map((p) => p.status)).toEqual(STAFF.map(() => 200));
    expect(rosterFetches() - before).toBe(1);
    const module = await moduleOf('SYN101');
    expect((await listMembers(module.id)).filter((m) => m.userId.startsWith('s'))).toHaveLength(4);
    // With the error, so a failure says what went wrong with the sync.
    expect({ synced: module.rosterSyncedAt !== null, error: module.rosterSyncError }).toEqual({ synced: true, error: null });
  });

  it('when another process holds the module’s sync, then a staff launch starts none, and after its release the next one does', async () => {
    // A student's launch makes the module known without syncing it.
    await launch('SYN202', 's1', ROLE.learner);
    const module = await moduleOf('SYN202');
    expect(module.rosterSyncedAt).toBeNull();
    expect(await claimModuleSync(module.id, new Date(), 60_000)).not.toBeNull();
    expect(await claimModuleSync(module.id, new Date(), 60_000)).toBeNull();

    const before = rosterFetches();
    expect((await launch('SYN202', 't1')).status).toBe(200);
    expect(rosterFetches()).toBe(before);

    await releaseModuleSync(module.id);
    expect((await launch('SYN202', 't2')).status).toBe(200);
    expect(rosterFetches()).toBe(before + 1);
    expect((await moduleOf('SYN202')).rosterSyncedAt).not.toBeNull();
  });

  it('when the sync fails, then the next staff launches do not try again for a while', async () => {
    await launch('SYN303', 's1', ROLE.learner);
    const module = await moduleOf('SYN303');
    const before = rosterFetches();
    // Every attempt of the roster fetch (three, with backoff) answers 500.
    reg.platform.failNext('nrps', 3, { status: 500 });
    expect((await launch('SYN303', 't1')).status).toBe(200);
    expect(rosterFetches() - before).toBe(3);
    expect((await moduleOf('SYN303')).rosterSyncError).toMatch(/Roster sync failed/);
    expect((await launch('SYN303', 't2')).status).toBe(200);
    expect(rosterFetches() - before).toBe(3);
    expect(await claimModuleSync(module.id, new Date(), 60_000)).toBeNull();
    expect(await claimModuleSync(module.id, new Date(Date.now() + 61_000), 60_000)).not.toBeNull();
  });
});
