import { Types } from 'mongoose';
import { TestBrowser } from '../../platform';
import type { EngagementModule } from '../analytics/engagement-module-fixture';
import { DROPPED, SILENT, startStaffScenarioAsTeacher } from './staff-module-scenario';
import { learnerNames } from './staff-html';
import { MemberModel } from '../../../src/store/models/member-model';
import { markModuleViewChanged } from '../../../src/store/module-repository';
import { findMemberByUserId } from '../../../src/store/member-repository';
import { setMemberNotLearner } from '../../../src/store/member-flags-repository';
import { erasePerson } from '../../../src/governance/person-erasure';

// Staff pages hold a module's members, alerts and analysis in memory between views. Every change made through
// Waymark must show on the next view; only a write that bypasses Waymark's repositories stays unseen.

describe('the page cache of a module', () => {
  let fx: EngagementModule;
  let teacher: TestBrowser;
  let ltik: string;
  let moduleId: string;

  beforeAll(async () => {
    ({ fx, moduleId, teacher, ltik } = await startStaffScenarioAsTeacher());
  });

  afterAll(async () => {
    await fx.close();
  });

  const dashboardNames = async () => {
    const page = await fx.open(teacher, '/app/module', ltik);
    expect(page.status).toBe(200);
    return learnerNames(page.html);
  };

  it('when a member is renamed behind Waymark’s back, then pages keep the held copy until the module’s view version rises', async () => {
    expect(await dashboardNames()).toContain(SILENT.name);
    const silent = (await findMemberByUserId(moduleId, SILENT.userId))!;
    await MemberModel.updateOne({ _id: new Types.ObjectId(silent.id) }, { $set: { name: 'Isla Renamed', familyName: 'Renamed' } });
    expect(await dashboardNames()).toContain(SILENT.name);

    await markModuleViewChanged(moduleId, 'members');
    const names = await dashboardNames();
    expect(names).toContain('Isla Renamed');
    expect(names).not.toContain(SILENT.name);
  });

  it('when staff mark a learner as not a learner, then the next dashboard leaves them out of the table', async () => {
    const silent = (await findMemberByUserId(moduleId, SILENT.userId))!;
    expect(await dashboardNames()).toContain('Isla Renamed');
    await setMemberNotLearner(moduleId, silent.id, true);
    expect(await dashboardNames()).not.toContain('Isla Renamed');
  });

  it('when a learner is erased, then the next dashboard no longer lists them and their page is not found', async () => {
    const dropped = (await findMemberByUserId(moduleId, DROPPED.userId))!;
    expect(await dashboardNames()).toContain(DROPPED.name);
    expect((await fx.open(teacher, `/app/learners/${dropped.id}`, ltik)).status).toBe(200);

    await erasePerson((await fx.module()).platformId, DROPPED.userId);
    expect(await dashboardNames()).not.toContain(DROPPED.name);
    expect((await fx.open(teacher, `/app/learners/${dropped.id}`, ltik)).status).toBe(404);
  });
});
