import { startEngagementModule, steadyDays, vleRows, type EngagementModule } from './engagement-module-fixture';
import { recomputeAllModules } from '../../../src/jobs/analytics-recompute-job';
import { listAlerts } from '../../../src/store/alert-repository';
import { getModuleSnapshot } from '../../../src/store/module-snapshot-repository';
import { upsertModuleFromLaunch } from '../../../src/store/module-repository';
import { ModuleSettingsModel } from '../../../src/store/models/module-settings-model';

describe('nightly recomputation', () => {
  let fx: EngagementModule;

  beforeAll(async () => {
    const learners = ['7001', '7002', '7003', '7004', '7005', '7006'].map((userId, i) => ({ userId, name: `Night Learner${i + 1}` }));
    fx = await startEngagementModule({ courseId: 'NIGHT1', title: 'Night Module', learners });
    await fx.importVle([...learners.slice(0, 5).flatMap((l) => vleRows(fx.calendar, l, steadyDays(fx.calendar, 4))), ...vleRows(fx.calendar, learners[5]!, [0, 1])], 'night');
  });

  afterAll(async () => {
    await fx.close();
  });

  it('when the nightly job runs, then every module is analysed and alerts opened, even when another module’s settings are broken', async () => {
    const broken = await upsertModuleFromLaunch({ platformId: 'other-site', contextId: 'BROKEN', deploymentId: '1', title: 'Broken', label: 'B', nrpsUrl: null, agsLineItemsUrl: null });
    // Settings written around the settings page's checks: a period that ends before it starts.
    await ModuleSettingsModel.create({ moduleId: broken.id, calendar: { timeZone: 'Europe/London', start: '2026-12-01', end: '2026-01-01', nonTeachingWeeks: [] } });
    const moduleId = (await fx.module()).id;
    // The teacher's first launch analysed the module before its period was set and its activity imported.
    expect((await getModuleSnapshot(moduleId))?.calendar.start).not.toBe(fx.calendar.start);

    const outcome = await recomputeAllModules(new Date());
    expect(outcome.modules).toBeGreaterThanOrEqual(1);
    expect(outcome.failed).toEqual([{ moduleId: broken.id, error: expect.stringContaining('end 2026-01-01 is before start 2026-12-01') }]);
    const snapshot = await getModuleSnapshot(moduleId);
    expect(snapshot?.calendar.start).toBe(fx.calendar.start);
    expect(snapshot?.lastActivityBySource.vle).not.toBeNull();
    const alerts = await listAlerts(moduleId, { audiences: ['staff'], rules: ['noEngagement'] });
    expect(alerts.map((a) => a.memberId)).toEqual([await fx.memberId('7006')]);
  });
});
