import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { getModuleById, markModuleViewChanged, upsertModuleFromLaunch } from '../../../src/store/module-repository';
import { upsertMemberFromLaunch } from '../../../src/store/member-repository';
import { saveLaunchSession, touchLaunchSession, type LaunchSession } from '../../../src/store/launch-session-repository';
import { holdLaunchSession, launchSessionWithModule } from '../../../src/store/held-launch-sessions';
import { deleteMemberData } from '../../../src/store/member-data-deletion';
import { LaunchSessionModel } from '../../../src/store/models/launch-session-model';
import type { Member, Module } from '../../../src/store/types';

// Pages find their launch session from what this process holds, checked against the module's members version:
// whatever raises it (erasure above all) makes the next request read the stored session again.

describe('launch sessions held by the process', () => {
  let db: TestDatabase;
  let module: Module;
  let member: Member;
  const launchedAt = new Date('2026-11-24T09:00:00Z');

  const sessionOf = (sessionId: string): LaunchSession => ({
    sessionId,
    platformId: 'held-site',
    issuer: 'https://moodle.example.ac.uk',
    clientId: 'c1',
    deploymentId: '1',
    userId: member.userId,
    moduleId: module.id,
    memberId: member.id,
    roles: ['Instructor'],
    mentorScope: [],
    displayName: 'Hal Held',
    createdAt: launchedAt,
    lastSeenAt: launchedAt,
  });

  /** Stores a session and holds it as a launch does, under the module's current members version. */
  async function launch(sessionId: string): Promise<LaunchSession> {
    const { viewVersions } = (await getModuleById(module.id))!;
    const session = sessionOf(sessionId);
    expect(await saveLaunchSession(session)).toBe(true);
    holdLaunchSession(session, viewVersions.members);
    return session;
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    module = await upsertModuleFromLaunch({ platformId: 'held-site', contextId: 'HELD1', deploymentId: '1', title: 'Held', label: 'HELD1', nrpsUrl: null, agsLineItemsUrl: null });
    ({ member } = await upsertMemberFromLaunch({ moduleId: module.id, userId: 'hal', name: 'Hal Held', givenName: 'Hal', familyName: 'Held', email: 'hal@example.ac.uk', launchRoles: ['Instructor'], isStaff: true, at: launchedAt }));
  });

  afterAll(async () => {
    await db.close();
  });

  it('when a launch stored its session, then pages get it with its module, and a change behind Waymark’s back waits for the members version', async () => {
    const session = await launch('held-1');
    const found = await launchSessionWithModule('held-1');
    expect(found?.session).toEqual(session);
    expect(found?.module.id).toBe(module.id);

    const touched = new Date('2026-11-24T09:30:00Z');
    await LaunchSessionModel.updateOne({ _id: 'held-1' }, { $set: { lastSeenAt: touched } });
    expect((await launchSessionWithModule('held-1'))?.session.lastSeenAt).toEqual(launchedAt);
    expect((await launchSessionWithModule('held-1', { stored: true }))?.session.lastSeenAt).toEqual(touched);

    await markModuleViewChanged(module.id, 'members');
    expect((await launchSessionWithModule('held-1'))?.session.lastSeenAt).toEqual(touched);
  });

  it('when a session is found that this process did not hold, then the next page reads it again, and the one after uses what it holds', async () => {
    await saveLaunchSession(sessionOf('held-2'));
    expect((await launchSessionWithModule('held-2'))?.session.sessionId).toBe('held-2');
    const touched = new Date('2026-11-24T10:00:00Z');
    await touchLaunchSession('held-2', touched);
    expect((await launchSessionWithModule('held-2'))?.session.lastSeenAt).toEqual(touched);
    await LaunchSessionModel.updateOne({ _id: 'held-2' }, { $set: { lastSeenAt: new Date('2026-11-24T11:00:00Z') } });
    expect((await launchSessionWithModule('held-2'))?.session.lastSeenAt).toEqual(touched);
  });

  it('when the person is erased, then their held session is gone on the next page', async () => {
    await launch('held-3');
    expect(await launchSessionWithModule('held-3')).not.toBeNull();
    await deleteMemberData([{ memberId: member.id, moduleId: module.id, userId: member.userId }], 'about-member');
    expect(await launchSessionWithModule('held-3')).toBeNull();
    expect(await launchSessionWithModule('held-1')).toBeNull();
  });

  it('when the same launch is stored twice, then the first is kept and the second reports it was not stored', async () => {
    const first = sessionOf('held-4');
    expect(await saveLaunchSession(first)).toBe(true);
    expect(await saveLaunchSession({ ...first, displayName: 'Someone Else' })).toBe(false);
    expect((await LaunchSessionModel.findById('held-4').lean())?.displayName).toBe('Hal Held');
  });
});
