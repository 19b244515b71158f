import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import { waitUntil } from '../resilience/free-port';
import { getModuleById, upsertModuleFromLaunch } from '../../../src/store/module-repository';
import { applyRoster, listMembers } from '../../../src/store/member-repository';
import { storeEventsWithRollups } from '../../../src/ingest/daily-rollup';
import { getModuleSnapshot, listMemberSummaries } from '../../../src/store/module-snapshot-repository';
import { recomputeModuleAnalysis } from '../../../src/reports/module-analysis-service';
import { snapshotIsStale } from '../../../src/reports/snapshot-freshness';
import { recomputeSoon, cancelPendingRecomputes } from '../../../src/reports/recompute-soon';
import type { NewEngagementEvent } from '../../../src/store/event-repository';
import type { Member, Module } from '../../../src/store/types';

// A stored analysis knows which data it read, so pages and jobs can tell when new data has made it old.

describe('the freshness of a stored analysis', () => {
  let db: TestDatabase;
  let module: Module;
  let learner: Member;
  const at = (iso: string) => new Date(iso);
  const event = (source: NewEngagementEvent['source'], sourceId: string, iso: string): NewEngagementEvent => ({
    moduleId: module.id, memberId: learner.id, source, sourceId, occurredAt: at(iso), count: 1, minutes: 0, detail: {},
  });
  const version = async () => (await getModuleById(module.id))!.dataVersion;
  const isStale = async (today: string) => {
    const current = (await getModuleById(module.id))!;
    return snapshotIsStale(await getModuleSnapshot(module.id), current, today, await listMembers(module.id), await listMemberSummaries(module.id));
  };

  beforeAll(async () => {
    db = await openTestDatabase();
    module = await upsertModuleFromLaunch({ platformId: 'fresh-site', contextId: 'FRESH1', deploymentId: '1', title: 'Fresh Module', label: 'FRESH1', nrpsUrl: null, agsLineItemsUrl: null });
    await applyRoster(module.id, [{ userId: 'f1', name: 'Fay Fresh', givenName: 'Fay', familyName: 'Fresh', email: '', sourcedId: '', roles: ['Learner'], status: 'active' }], new Date());
    learner = (await listMembers(module.id))[0]!;
  });

  afterAll(async () => {
    cancelPendingRecomputes();
    await db.close();
  });

  it('when Moodle activity arrives, then the module’s data version rises; the same events again change nothing', async () => {
    const before = await version();
    await storeEventsWithRollups(module.id, module.timeZone, [event('vle', 'v1', '2026-11-16T10:00:00Z')]);
    const after = await version();
    expect(after).toBe(before + 1);
    await storeEventsWithRollups(module.id, module.timeZone, [event('vle', 'v1', '2026-11-16T10:00:00Z')]);
    expect(await version()).toBe(after);
  });

  it('when a learner launches twice on one day, then only the first launch of the day makes the analysis old', async () => {
    const before = await version();
    await storeEventsWithRollups(module.id, module.timeZone, [event('launch', 'l1', '2026-11-17T09:00:00Z')]);
    expect(await version()).toBe(before + 1);
    await storeEventsWithRollups(module.id, module.timeZone, [event('launch', 'l2', '2026-11-17T15:00:00Z')]);
    expect(await version()).toBe(before + 1);
  });

  it('when the analysis is stored, then it is fresh until new data arrives, and stale again after', async () => {
    const now = at('2026-11-18T12:00:00Z');
    await recomputeModuleAnalysis(module.id, now);
    expect((await getModuleSnapshot(module.id))?.dataVersion).toBe(await version());
    expect(await isStale('2026-11-18')).toBe(false);
    expect(await isStale('2026-11-19')).toBe(true);

    await storeEventsWithRollups(module.id, module.timeZone, [event('vle', 'v2', '2026-11-18T11:00:00Z')]);
    expect(await isStale('2026-11-18')).toBe(true);
  });

  it('when a teacher joins the roster, then the analysis stays fresh; when a learner joins, it is stale', async () => {
    await recomputeModuleAnalysis(module.id, at('2026-11-18T13:00:00Z'));
    expect(await isStale('2026-11-18')).toBe(false);
    const roster = (userIds: Array<[string, string]>) =>
      userIds.map(([userId, role]) => ({ userId, name: `Person ${userId}`, givenName: 'Person', familyName: userId, email: '', sourcedId: '', roles: [role], status: 'active' as const }));
    await applyRoster(module.id, roster([['f1', 'Learner'], ['t1', 'Instructor']]), new Date());
    expect(await isStale('2026-11-18')).toBe(false);
    await applyRoster(module.id, roster([['f1', 'Learner'], ['t1', 'Instructor'], ['f2', 'Learner']]), new Date());
    expect(await isStale('2026-11-18')).toBe(true);
  });

  it('when a teacher the stored analysis knows leaves the roster, then it stays fresh; when a learner leaves, it is stale', async () => {
    const roster = (userIds: Array<[string, string]>) =>
      userIds.map(([userId, role]) => ({ userId, name: `Person ${userId}`, givenName: 'Person', familyName: userId, email: '', sourcedId: '', roles: [role], status: 'active' as const }));
    await recomputeModuleAnalysis(module.id, at('2026-11-18T14:00:00Z'));
    expect((await listMemberSummaries(module.id)).map((s) => s.isLearner).sort()).toEqual([false, true, true]);
    expect(await isStale('2026-11-18')).toBe(false);
    await applyRoster(module.id, roster([['f1', 'Learner'], ['f2', 'Learner']]), new Date());
    expect(await isStale('2026-11-18')).toBe(false);
    await applyRoster(module.id, roster([['f1', 'Learner']]), new Date());
    expect(await isStale('2026-11-18')).toBe(true);
  });

  it('when several batches ask for a recomputation soon, then the stored analysis catches up with the data', async () => {
    await storeEventsWithRollups(module.id, module.timeZone, [event('vle', 'v3', '2026-11-18T11:30:00Z')]);
    const target = await version();
    const now = () => at('2026-11-18T12:30:00Z');
    for (let i = 0; i < 3; i++) recomputeSoon(module.id, { now, delayMs: 100 });
    await waitUntil('the analysis caught up', async () => (await getModuleSnapshot(module.id))?.dataVersion === target, 30_000, 100);
    const snapshot = await getModuleSnapshot(module.id);
    expect(snapshot?.lastActivityBySource.vle).toBe('2026-11-18');
    expect(await isStale('2026-11-18')).toBe(false);
  });
});
