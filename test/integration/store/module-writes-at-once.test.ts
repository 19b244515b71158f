import { openTestDatabase, type TestDatabase } from '../../support/test-database';
import {
  getModuleById,
  markModuleDataChanged,
  raiseModuleViewVersion,
  recordAssignmentSync,
  recordRosterSync,
  upsertModuleFromLaunch,
} from '../../../src/store/module-repository';

// Launches, syncs and imports write one module's document at the same moment. On FerretDB v1 an update rewrites
// the whole document from a copy read just before, so without care one of two simultaneous writes is lost.

describe('writes to one module at the same moment', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db.close();
  });

  const launchInto = (contextId: string, title = `Course ${contextId}`) =>
    upsertModuleFromLaunch({ platformId: 'at-once-site', contextId, deploymentId: '1', title, label: contextId, nrpsUrl: null, agsLineItemsUrl: null });

  it('when launches raise its versions while a sync and an import record theirs, then every write is kept', async () => {
    const module = await launchInto('ONCE1');
    const at = new Date('2026-11-24T08:00:00Z');
    await Promise.all([
      ...Array.from({ length: 12 }, () => raiseModuleViewVersion(module.id, 'members')),
      ...Array.from({ length: 5 }, () => raiseModuleViewVersion(module.id, 'alerts')),
      recordRosterSync(module.id, { at, error: null }),
      recordAssignmentSync(module.id, { at, error: null }),
      ...Array.from({ length: 3 }, () => markModuleDataChanged(module.id)),
      launchInto('ONCE1', 'Course ONCE1, renamed'),
    ]);
    const stored = (await getModuleById(module.id))!;
    expect({
      members: stored.viewVersions.members,
      alerts: stored.viewVersions.alerts,
      rosterSyncedAt: stored.rosterSyncedAt,
      assignmentsSyncedAt: stored.assignmentsSyncedAt,
      dataVersion: stored.dataVersion,
      title: stored.title,
    }).toEqual({ members: 12, alerts: 5, rosterSyncedAt: at, assignmentsSyncedAt: at, dataVersion: 3, title: 'Course ONCE1, renamed' });
  });

  it('when each raise of a version returns the version it made, then no two raises made the same one', async () => {
    const module = await launchInto('ONCE2');
    const versions = await Promise.all(Array.from({ length: 10 }, () => raiseModuleViewVersion(module.id, 'members')));
    expect([...versions].sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('when the first launches into a new module race, then there is one module and each launch gets it', async () => {
    const modules = await Promise.all(Array.from({ length: 6 }, () => launchInto('ONCE3')));
    expect(new Set(modules.map((m) => m.id)).size).toBe(1);
  });
});
