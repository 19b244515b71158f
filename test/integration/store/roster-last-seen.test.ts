import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { upsertModuleFromLaunch } from '../../../src/store/module-repository';
import { applyRoster, listMembers, type RosterEntry } from '../../../src/store/member-repository';

// Each member's "last in the roster" date (shown in their records) is kept to the hour: a sync within the hour
// rewrites no member for it, which on FerretDB v1 held the database's write lock for seconds per sync.

describe('when members were last in the roster', () => {
  let db: TestDatabase;
  let moduleId: string;
  const entry = (userId: string): RosterEntry => ({ userId, name: `Person ${userId}`, givenName: 'Person', familyName: userId, email: '', sourcedId: '', roles: ['Learner'], status: 'active' });
  const lastInRoster = async () => Object.fromEntries((await listMembers(moduleId)).map((m) => [m.userId, m.lastInRosterAt?.toISOString() ?? null]));

  beforeAll(async () => {
    db = await openTestDatabase();
    moduleId = (await upsertModuleFromLaunch({ platformId: 'roster-seen-site', contextId: 'SEEN1', deploymentId: '1', title: 'Seen', label: 'SEEN1', nrpsUrl: null, agsLineItemsUrl: null })).id;
  });

  afterAll(async () => {
    await db.close();
  });

  it('when the roster is synced again within the hour, then the dates stand; after the hour they move, and a leaver keeps theirs', async () => {
    await applyRoster(moduleId, [entry('a'), entry('b')], new Date('2026-11-24T09:00:00Z'));
    expect(await lastInRoster()).toEqual({ a: '2026-11-24T09:00:00.000Z', b: '2026-11-24T09:00:00.000Z' });

    await applyRoster(moduleId, [entry('a'), entry('b')], new Date('2026-11-24T09:40:00Z'));
    expect(await lastInRoster()).toEqual({ a: '2026-11-24T09:00:00.000Z', b: '2026-11-24T09:00:00.000Z' });

    const result = await applyRoster(moduleId, [entry('a')], new Date('2026-11-24T10:05:00Z'));
    expect(result.markedGone).toBe(1);
    expect(await lastInRoster()).toEqual({ a: '2026-11-24T10:05:00.000Z', b: '2026-11-24T09:00:00.000Z' });
  });

  it('when many leave at once, then every one is marked gone, written a few at a time, and nobody twice', async () => {
    const many = Array.from({ length: 45 }, (_, i) => entry(`m${String(i).padStart(2, '0')}`));
    await applyRoster(moduleId, [entry('a'), ...many], new Date('2026-11-24T11:00:00Z'));
    const result = await applyRoster(moduleId, [entry('a'), ...many.slice(0, 2)], new Date('2026-11-24T11:10:00Z'));
    expect(result.markedGone).toBe(43);
    const members = await listMembers(moduleId);
    expect(members.filter((m) => m.status === 'gone').map((m) => m.userId).sort()).toEqual(['b', ...many.slice(2).map((e) => e.userId)].sort());
    expect(members.find((m) => m.userId === 'm10')?.leftAt).toEqual(new Date('2026-11-24T11:10:00Z'));
    expect((await applyRoster(moduleId, [entry('a'), ...many.slice(0, 2)], new Date('2026-11-24T11:20:00Z'))).markedGone).toBe(0);
  });
});
