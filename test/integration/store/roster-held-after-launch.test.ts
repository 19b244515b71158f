import { Types } from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { markModuleViewChanged, upsertModuleFromLaunch } from '../../../src/store/module-repository';
import { listMembers, upsertMemberFromLaunch } from '../../../src/store/member-repository';
import { moduleMembersForPage, noteMemberWrittenByLaunch } from '../../../src/store/cached-module-reads';
import { clearModuleReadCache } from '../../../src/store/module-read-cache';
import { MemberModel } from '../../../src/store/models/member-model';

// A person's first launch adds one member: the roster this process holds takes them in, instead of every page
// reading the whole roster again, but only when that launch's write was the only one since the roster was read.

describe('the held roster after a launch', () => {
  let db: TestDatabase;
  let moduleId: string;
  const at = new Date('2026-11-24T09:00:00Z');

  const launch = async (userId: string, name: string, familyName: string) => {
    const launched = await upsertMemberFromLaunch({ moduleId, userId, name, givenName: name.split(' ')[0]!, familyName, email: `${userId}@example.ac.uk`, launchRoles: ['Learner'], isStaff: false, at });
    if (launched.membersVersion !== null) noteMemberWrittenByLaunch(launched.member, launched.membersVersion);
    return launched;
  };
  const userIdsOnPage = async () => (await moduleMembersForPage(moduleId)).list.map((m) => m.userId);

  /** A member another process stored without raising the version (or before raising it). */
  const storedBehindTheCache = (userId: string, familyName: string) =>
    MemberModel.collection.insertOne({ moduleId: new Types.ObjectId(moduleId), userId, name: `Una ${familyName}`, familyName, status: 'active', rosterRoles: [], launchRoles: [] } as never);

  beforeAll(async () => {
    db = await openTestDatabase();
    moduleId = (await upsertModuleFromLaunch({ platformId: 'roster-site', contextId: 'ROSTER1', deploymentId: '1', title: 'Roster', label: 'ROSTER1', nrpsUrl: null, agsLineItemsUrl: null })).id;
    await launch('m1', 'Mo Middle', 'Middle');
    await launch('z1', 'Zed Zulu', 'Zulu');
  });

  beforeEach(() => clearModuleReadCache());

  afterAll(async () => {
    await db.close();
  });

  it('when someone launches for the first time, then the held roster lists them in roster order without reading the roster again', async () => {
    expect(await userIdsOnPage()).toEqual(['m1', 'z1']);
    await storedBehindTheCache('hidden', 'Hidden');
    await launch('a1', 'Ann Able', 'Able');
    // Read again, the roster would also show the member stored behind the cache's back.
    expect(await userIdsOnPage()).toEqual(['a1', 'm1', 'z1']);
    const byId = (await moduleMembersForPage(moduleId)).byId;
    expect(byId.get((await launch('a1', 'Ann Able', 'Able')).member.id)?.name).toBe('Ann Able');

    await markModuleViewChanged(moduleId, 'members');
    expect(await userIdsOnPage()).toEqual((await listMembers(moduleId)).map((m) => m.userId));
    expect(await userIdsOnPage()).toEqual(['a1', 'hidden', 'm1', 'z1']);
  });

  it('when someone launched again with a new name, then the held roster shows the name and keeps one entry for them', async () => {
    await userIdsOnPage();
    const { member, membersVersion } = await launch('m1', 'Mo Renamed', 'Middle');
    expect(membersVersion).not.toBeNull();
    const onPage = (await moduleMembersForPage(moduleId)).list.filter((m) => m.userId === 'm1');
    expect(onPage).toEqual([member]);
    expect(onPage[0]!.name).toBe('Mo Renamed');
  });

  it('when two launches finish in the other order than they raised the version, then the held roster takes both', async () => {
    await userIdsOnPage();
    await storedBehindTheCache('unseen', 'Unseen');
    const person = (userId: string, familyName: string) => ({ moduleId, userId, name: `Cy ${familyName}`, givenName: 'Cy', familyName, email: '', launchRoles: ['Learner'], isStaff: false, at });
    const first = await upsertMemberFromLaunch(person('c1', 'Cole'));
    const second = await upsertMemberFromLaunch(person('d1', 'Dean'));
    noteMemberWrittenByLaunch(second.member, second.membersVersion!);
    noteMemberWrittenByLaunch(first.member, first.membersVersion!);
    expect(await userIdsOnPage()).toEqual(['a1', 'c1', 'd1', 'hidden', 'm1', 'z1']);
  });

  it('when another write raised the version in between, then the roster is read again in full', async () => {
    await userIdsOnPage();
    await storedBehindTheCache('other', 'Other');
    await markModuleViewChanged(moduleId, 'members');
    await launch('b1', 'Bo Baker', 'Baker');
    expect(await userIdsOnPage()).toEqual(['a1', 'b1', 'c1', 'd1', 'hidden', 'm1', 'other', 'unseen', 'z1']);
  });
});
