import { Types } from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { findLaunchSession, saveLaunchSession, touchLaunchSession, type LaunchSession } from '../../../src/store/launch-session-repository';
import { LaunchSessionModel } from '../../../src/store/models/launch-session-model';

// Every page request finds its launch session; it is stored under its session id so that is a lookup by _id.

describe('storing launch sessions', () => {
  let db: TestDatabase;
  const session = (sessionId: string): LaunchSession => ({
    sessionId,
    platformId: 'p1',
    issuer: 'https://moodle.example.ac.uk',
    clientId: 'c1',
    deploymentId: '1',
    userId: 'u1',
    moduleId: new Types.ObjectId().toHexString(),
    memberId: new Types.ObjectId().toHexString(),
    roles: ['Learner'],
    mentorScope: [],
    displayName: 'Una User',
    createdAt: new Date('2026-11-24T09:00:00Z'),
    lastSeenAt: new Date('2026-11-24T09:00:00Z'),
  });

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db.close();
  });

  it('when a launch is saved twice, then one session is stored under its session id and the first one is kept', async () => {
    const first = session('state-aaa');
    await saveLaunchSession(first);
    await saveLaunchSession({ ...first, displayName: 'Someone Else' });
    const stored = await LaunchSessionModel.find({ sessionId: 'state-aaa' }).lean();
    expect(stored.map((d) => d._id)).toEqual(['state-aaa']);
    expect(await findLaunchSession('state-aaa')).toEqual(first);
  });

  it('when a session was stored before sessions were keyed by id, then it is still found and kept alive', async () => {
    const old = session('state-old');
    await LaunchSessionModel.collection.insertOne({ ...old, _id: new Types.ObjectId(), moduleId: new Types.ObjectId(old.moduleId), memberId: new Types.ObjectId(old.memberId) } as never);
    expect(await findLaunchSession('state-old')).toEqual(old);
    await touchLaunchSession('state-old', new Date('2026-11-24T10:00:00Z'));
    expect((await findLaunchSession('state-old'))?.lastSeenAt).toEqual(new Date('2026-11-24T10:00:00Z'));
    expect(await findLaunchSession('state-unknown')).toBeNull();
  });
});
