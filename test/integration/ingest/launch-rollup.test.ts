import { Types } from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { getModuleById, upsertModuleFromLaunch } from '../../../src/store/module-repository';
import { applyRoster, listMembers } from '../../../src/store/member-repository';
import { rebuildModuleRollups, storeEventsWithRollups, storeOneEvent } from '../../../src/ingest/daily-rollup';
import { listModuleRollups, rollupId } from '../../../src/store/daily-activity-repository';
import { listMemberRollups } from '../../../src/store/member-records-repository';
import { DailyActivityModel } from '../../../src/store/models/daily-activity-model';
import type { NewEngagementEvent } from '../../../src/store/event-repository';
import type { Member, Module } from '../../../src/store/types';

// A launch stores its event and adds it to its day's rollup by inserts alone: the day's row, or a part of its own
// when the day has one. Whatever path stored them, the rollups must equal a rebuild from the events.

describe('storing one event, as a launch does', () => {
  let db: TestDatabase;
  let module: Module;
  let learner: Member;
  const event = (source: NewEngagementEvent['source'], sourceId: string, iso: string, minutes = 0): NewEngagementEvent => ({
    moduleId: module.id, memberId: learner.id, source, sourceId, occurredAt: new Date(iso), count: 1, minutes, detail: {},
  });
  const version = async () => (await getModuleById(module.id))!.dataVersion;
  const rowOf = async (day: string, source: NewEngagementEvent['source']) =>
    (await listModuleRollups(module.id)).find((r) => r.memberId === learner.id && r.day === day && r.source === source);
  const sorted = <T extends { memberId: string; day: string; source: string }>(rows: T[]) =>
    [...rows].sort((a, b) => `${a.memberId}${a.day}${a.source}`.localeCompare(`${b.memberId}${b.day}${b.source}`));
  const expectRollupsToEqualRebuild = async () => {
    const incremental = sorted(await listModuleRollups(module.id));
    await rebuildModuleRollups(module.id, module.timeZone);
    expect(incremental).toEqual(sorted(await listModuleRollups(module.id)));
  };

  beforeAll(async () => {
    db = await openTestDatabase();
    module = await upsertModuleFromLaunch({ platformId: 'one-event-site', contextId: 'ONE1', deploymentId: '1', title: 'One Event Module', label: 'ONE1', nrpsUrl: null, agsLineItemsUrl: null });
    await applyRoster(module.id, [{ userId: 'o1', name: 'Olu One', givenName: 'Olu', familyName: 'One', email: '', sourcedId: '', roles: ['Learner'], status: 'active' }], new Date());
    learner = (await listMembers(module.id))[0]!;
  });

  afterAll(async () => {
    await db.close();
  });

  const storedRows = (day: string, source: NewEngagementEvent['source']) =>
    DailyActivityModel.find({ memberId: new Types.ObjectId(learner.id), day, source }).sort({ _id: 1 }).lean();

  it('when a learner launches three times on one day, then the day counts three launches (its row and a part per later launch), and only the first changed the data version', async () => {
    const before = await version();
    expect(await storeOneEvent(module.id, module.timeZone, event('launch', 's1', '2026-11-02T09:00:00Z'))).toEqual({ inserted: 1, alreadyStored: 0 });
    expect(await version()).toBe(before + 1);
    await storeOneEvent(module.id, module.timeZone, event('launch', 's2', '2026-11-02T12:00:00Z'));
    await storeOneEvent(module.id, module.timeZone, event('launch', 's3', '2026-11-02T16:00:00Z'));
    expect(await version()).toBe(before + 1);
    expect(await rowOf('2026-11-02', 'launch')).toMatchObject({ count: 3, minutes: 0 });
    const id = rollupId(learner.id, '2026-11-02', 'launch');
    expect((await storedRows('2026-11-02', 'launch')).map((d) => [d._id, d.count])).toEqual([[id, 1], [`${id}:s2`, 1], [`${id}:s3`, 1]]);
    await expectRollupsToEqualRebuild();
  });

  it('when the learner’s own records are read, then the day’s parts show as one day', async () => {
    const days = (await listMemberRollups(module.id, learner.id)).filter((r) => r.day === '2026-11-02');
    expect(days).toEqual([{ memberId: learner.id, day: '2026-11-02', source: 'launch', count: 3, minutes: 0 }]);
  });

  it('when an import recomputes a day held in parts, then it is folded into one row and the data version stays', async () => {
    await storeOneEvent(module.id, module.timeZone, event('launch', 'f1', '2026-11-05T09:00:00Z'));
    await storeOneEvent(module.id, module.timeZone, event('launch', 'f2', '2026-11-05T10:00:00Z'));
    expect(await storedRows('2026-11-05', 'launch')).toHaveLength(2);
    const before = await version();
    await storeEventsWithRollups(module.id, module.timeZone, [event('launch', 'f1', '2026-11-05T09:00:00Z')]);
    expect((await storedRows('2026-11-05', 'launch')).map((d) => [d._id, d.count])).toEqual([[rollupId(learner.id, '2026-11-05', 'launch'), 2]]);
    expect(await version()).toBe(before);
    await expectRollupsToEqualRebuild();
  });

  it('when the same event is stored again, then nothing is counted twice', async () => {
    const before = await version();
    expect(await storeOneEvent(module.id, module.timeZone, event('launch', 's1', '2026-11-02T09:00:00Z'))).toEqual({ inserted: 0, alreadyStored: 1 });
    expect(await rowOf('2026-11-02', 'launch')).toMatchObject({ count: 3 });
    expect(await version()).toBe(before);
  });

  it('when a day’s row was stored before rollup ids (an ObjectId _id, no part), then the launch adds its own row and the day counts both', async () => {
    await storeEventsWithRollups(module.id, module.timeZone, [event('launch', 'old1', '2026-11-03T09:00:00Z')]);
    // Turn the row into one written by an earlier version of Waymark.
    const current = await DailyActivityModel.collection.findOne({ _id: rollupId(learner.id, '2026-11-03', 'launch') } as Record<string, unknown>);
    expect(current).not.toBeNull();
    await DailyActivityModel.collection.deleteOne({ _id: current!._id });
    const { part: _part, ...legacy } = current!;
    await DailyActivityModel.collection.insertOne({ ...legacy, _id: new Types.ObjectId() });

    await storeOneEvent(module.id, module.timeZone, event('launch', 'new1', '2026-11-03T14:00:00Z'));
    expect(await storedRows('2026-11-03', 'launch')).toHaveLength(2);
    expect(await rowOf('2026-11-03', 'launch')).toMatchObject({ count: 2 });
    await expectRollupsToEqualRebuild();
  });

  it('when single events and an import batch touch the same day, then the rollups equal a rebuild from the events', async () => {
    const before = await version();
    await storeOneEvent(module.id, module.timeZone, event('vle', 'v1', '2026-11-04T10:00:00Z', 5));
    expect(await version()).toBe(before + 1);
    await storeOneEvent(module.id, module.timeZone, event('vle', 'v2', '2026-11-04T10:30:00Z', 7));
    expect(await version()).toBe(before + 2);
    await storeEventsWithRollups(module.id, module.timeZone, [event('vle', 'v2', '2026-11-04T10:30:00Z', 7), event('vle', 'v3', '2026-11-04T11:00:00Z', 2)]);
    await storeOneEvent(module.id, module.timeZone, event('vle', 'v4', '2026-11-04T12:00:00Z', 1));
    expect(await rowOf('2026-11-04', 'vle')).toMatchObject({ count: 4, minutes: 15 });
    await expectRollupsToEqualRebuild();
  });
});
