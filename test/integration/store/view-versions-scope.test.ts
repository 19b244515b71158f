import { Types } from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { getModuleById, markModuleViewChanged, upsertModuleFromLaunch } from '../../../src/store/module-repository';
import { upsertMemberFromLaunch } from '../../../src/store/member-repository';
import { moduleMembersForPage } from '../../../src/store/cached-module-reads';
import { withViewVersionsOf } from '../../../src/store/view-versions-scope';
import { MemberModel } from '../../../src/store/models/member-model';
import { ModuleModel } from '../../../src/store/models/module-model';
import type { Module } from '../../../src/store/types';

// A request checks its cached reads against the view versions of the module it loaded at its start, and a write
// it makes itself has its later reads check again.

describe('view versions read once per request', () => {
  let db: TestDatabase;
  let module: Module;
  const at = new Date('2026-11-24T09:00:00Z');

  const person = (userId: string) => ({ moduleId: module.id, userId, name: `Person ${userId}`, givenName: 'Person', familyName: userId, email: `${userId}@example.ac.uk`, launchRoles: ['Learner'], isStaff: false, at });
  const userIdsOnPage = async () => (await moduleMembersForPage(module.id)).list.map((m) => m.userId).sort();

  /** A member written by another process, which raised the version behind this request's back. */
  async function addedElsewhere(userId: string): Promise<void> {
    await MemberModel.collection.insertOne({ ...person(userId), moduleId: new Types.ObjectId(module.id), status: 'active', rosterRoles: [], launchedAsStaff: false } as never);
    await ModuleModel.updateOne({ _id: new Types.ObjectId(module.id) }, { $inc: { 'viewVersions.members': 1 } });
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    module = await upsertModuleFromLaunch({ platformId: 'scope-site', contextId: 'SCOPE1', deploymentId: '1', title: 'Scope', label: 'SCOPE1', nrpsUrl: null, agsLineItemsUrl: null });
    await upsertMemberFromLaunch(person('s1'));
  });

  afterAll(async () => {
    await db.close();
  });

  it('when another process writes during a request, then the request keeps the versions it started with and the next request sees the write', async () => {
    const loaded = (await getModuleById(module.id))!;
    await withViewVersionsOf(loaded, async () => {
      expect(await userIdsOnPage()).toEqual(['s1']);
      await addedElsewhere('s2');
      expect(await userIdsOnPage()).toEqual(['s1']);
    });
    const next = (await getModuleById(module.id))!;
    await withViewVersionsOf(next, async () => expect(await userIdsOnPage()).toEqual(['s1', 's2']));
    expect(await userIdsOnPage()).toEqual(['s1', 's2']);
  });

  it('when a request writes, then its own later reads see the write', async () => {
    const loaded = (await getModuleById(module.id))!;
    await withViewVersionsOf(loaded, async () => {
      expect(await userIdsOnPage()).toEqual(['s1', 's2']);
      await MemberModel.collection.insertOne({ ...person('s3'), moduleId: new Types.ObjectId(module.id), status: 'active', rosterRoles: [], launchedAsStaff: false } as never);
      await markModuleViewChanged(module.id, 'members');
      expect(await userIdsOnPage()).toEqual(['s1', 's2', 's3']);
    });
  });
});
