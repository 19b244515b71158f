import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { upsertModuleFromLaunch } from '../../../src/store/module-repository';
import { applyRoster, listMembers, upsertMemberFromLaunch, type LaunchingPerson } from '../../../src/store/member-repository';
import type { Module } from '../../../src/store/types';
import { ModuleModel } from '../../../src/store/models/module-model';

// A launch by someone the caller does not know inserts them; whoever is there already (a roster sync, another
// instance's launch) is updated instead, never duplicated, and keeps what the roster knew.

describe('recording who launched', () => {
  let db: TestDatabase;
  let module: Module;
  const person = (userId: string, at: string, extra: Partial<LaunchingPerson> = {}): LaunchingPerson => ({
    moduleId: module.id, userId, name: `Person ${userId}`, givenName: 'Person', familyName: userId, email: `${userId}@example.ac.uk`, launchRoles: ['Learner'], isStaff: false, at: new Date(at), ...extra,
  });

  beforeAll(async () => {
    db = await openTestDatabase();
    module = await upsertModuleFromLaunch({ platformId: 'member-launch-site', contextId: 'MEM1', deploymentId: '1', title: 'Members', label: 'MEM1', nrpsUrl: null, agsLineItemsUrl: null });
  });

  afterAll(async () => {
    await db.close();
  });

  it('when someone launches for the first time, then one member is created with their first and last launch', async () => {
    const { member } = await upsertMemberFromLaunch(person('n1', '2026-11-20T09:00:00Z'));
    expect(member).toMatchObject({ userId: 'n1', name: 'Person n1', status: 'active', firstLaunchAt: new Date('2026-11-20T09:00:00Z'), lastLaunchAt: new Date('2026-11-20T09:00:00Z') });
    expect((await listMembers(module.id)).filter((m) => m.userId === 'n1')).toEqual([member]);
  });

  it('when they launch again and the caller does not know them, then the same member is updated and their first launch kept', async () => {
    const first = (await listMembers(module.id)).find((m) => m.userId === 'n1')!;
    const { member: again } = await upsertMemberFromLaunch(person('n1', '2026-11-21T09:00:00Z', { name: 'Person N. One', isStaff: true }));
    expect(again).toMatchObject({ id: first.id, name: 'Person N. One', launchedAsStaff: true, firstLaunchAt: first.firstLaunchAt, lastLaunchAt: new Date('2026-11-21T09:00:00Z') });
    expect((await listMembers(module.id)).filter((m) => m.userId === 'n1')).toHaveLength(1);
  });

  it('when the roster brought them in before their first launch, then the launch keeps the roster’s member and what it knew', async () => {
    await applyRoster(module.id, [{ userId: 'r1', name: 'Rosa Roster', givenName: 'Rosa', familyName: 'Roster', email: 'rosa@example.ac.uk', sourcedId: 'SIS-1', roles: ['Learner'], status: 'active' }], new Date('2026-11-19T00:00:00Z'));
    const rostered = (await listMembers(module.id)).find((m) => m.userId === 'r1')!;
    const { member: launched } = await upsertMemberFromLaunch(person('r1', '2026-11-20T10:00:00Z', { name: 'Rosa Roster' }));
    expect(launched).toMatchObject({ id: rostered.id, sourcedId: 'SIS-1', rosterRoles: ['Learner'], firstLaunchAt: new Date('2026-11-20T10:00:00Z') });
    expect((await listMembers(module.id)).filter((m) => m.userId === 'r1')).toHaveLength(1);
  });

  it('when the first launches into a new module race, then every one gets the same module', async () => {
    const claims = { platformId: 'member-launch-site', contextId: 'RACE1', deploymentId: '1', title: 'Racing', label: 'RACE1', nrpsUrl: null, agsLineItemsUrl: null };
    const modules = await Promise.all(Array.from({ length: 8 }, () => upsertModuleFromLaunch(claims)));
    expect(new Set(modules.map((m) => m.id)).size).toBe(1);
  });

  it('when a module is launched again with nothing new, then its document is not written; a new title is', async () => {
    const claims = { platformId: 'member-launch-site', contextId: 'SAME1', deploymentId: '1', title: 'Same', label: 'SAME1', nrpsUrl: 'https://moodle.example.ac.uk/nrps', agsLineItemsUrl: null };
    const first = await upsertModuleFromLaunch(claims);
    const written = async () => (await ModuleModel.findById(first.id).lean())!.updatedAt;
    const before = await written();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await upsertModuleFromLaunch({ ...claims, nrpsUrl: null })).nrpsUrl).toBe('https://moodle.example.ac.uk/nrps');
    expect(await written()).toEqual(before);
    expect((await upsertModuleFromLaunch({ ...claims, title: 'Renamed' })).title).toBe('Renamed');
    expect(await written()).not.toEqual(before);
  });

  it('when two first launches of one person race, then both land on one member', async () => {
    const [a, b] = await Promise.all([upsertMemberFromLaunch(person('race', '2026-11-20T11:00:00Z')), upsertMemberFromLaunch(person('race', '2026-11-20T11:00:01Z'))]);
    expect(a.member.id).toBe(b.member.id);
    expect((await listMembers(module.id)).filter((m) => m.userId === 'race')).toHaveLength(1);
  });
});
