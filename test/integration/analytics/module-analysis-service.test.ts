import { steadyDays, daysSoFar, startEngagementModule, vleRows, type EngagementModule } from './engagement-module-fixture';
import { recomputeModuleAnalysis } from '../../../src/reports/module-analysis-service';
import { changeAlertState, listAlerts } from '../../../src/store/alert-repository';
import { addKnownCause, removeKnownCause } from '../../../src/store/known-cause-repository';
import { getMemberSnapshot, getModuleSnapshot, listMemberSummaries } from '../../../src/store/module-snapshot-repository';
import { AlertModel } from '../../../src/store/models/alert-model';
import { MemberModel } from '../../../src/store/models/member-model';
import type { AlertRecord } from '../../../src/store/alert-repository';

// Moodle user ids are numbers: the course log names the acting user by id.
const STEADY = ['2001', '2002', '2003', '2004', '2005'].map((userId, i) => ({ userId, name: `Steady Learner${i + 1}` }));
const Q1 = '3001';
const Q2 = '3002';
const Q3 = '3003';
const Q4 = '3004';

describe('module analysis service', () => {
  let fx: EngagementModule;
  let moduleId: string;
  const noEngagementOf = async (userId: string): Promise<AlertRecord[]> =>
    (await listAlerts(moduleId, { audiences: ['staff'], memberIds: [await fx.memberId(userId)] })).filter((a) => a.rule === 'noEngagement');

  beforeAll(async () => {
    const learners = [
      ...STEADY.map((l) => ({ ...l, vleDays: [] as number[] })),
      // Active in the first two weeks only, then silent.
      { userId: Q1, name: 'Quiet Quinn', vleDays: [] as number[] },
      { userId: Q2, name: 'Away Avery', vleDays: [] as number[] },
      { userId: Q3, name: 'Dismissed Dana', vleDays: [] as number[] },
      { userId: Q4, name: 'Leaving Lee', vleDays: [] as number[] },
    ];
    fx = await startEngagementModule({ courseId: 'ANA101', title: 'Analytics Test Module', learners });
    moduleId = (await fx.module()).id;
    const rows = [
      ...STEADY.flatMap((l) => vleRows(fx.calendar, l, steadyDays(fx.calendar, 4))),
      ...learners.slice(5).flatMap((l) => vleRows(fx.calendar, l, steadyDays(fx.calendar, 4, 0, 14))),
    ];
    await fx.importVle(rows, 'term-so-far');
  });

  afterAll(async () => {
    await fx.close();
  });

  it('when activity is imported and the module recomputed, then a learner silent for more than 14 teaching days has one open alert whose evidence says so in words', async () => {
    const outcome = await recomputeModuleAnalysis(moduleId, new Date());
    expect(outcome?.opened).toBeGreaterThan(0);
    const alerts = await noEngagementOf(Q1);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.state).toBe('open');
    expect(alerts[0]!.evidence.text).toMatch(/^No activity in Moodle/);
    expect(alerts[0]!.evidence.text).toMatch(/median learner was active on \d+ of those days/);
    expect(Number(alerts[0]!.evidence.figures.teachingDaysWithoutActivity)).toBeGreaterThan(14);
    expect(alerts[0]!.history.map((h) => h.kind)).toEqual(['opened']);
    for (const learner of STEADY) expect(await noEngagementOf(learner.userId)).toEqual([]);
  });

  it('when the module is recomputed again with nothing new, then no alert is added or changed', async () => {
    const before = await AlertModel.find({ moduleId }).sort({ _id: 1 }).lean();
    const outcome = await recomputeModuleAnalysis(moduleId, new Date());
    expect(outcome).toMatchObject({ opened: 0, refreshed: 0, closed: 0, written: 0 });
    expect(await AlertModel.find({ moduleId }).sort({ _id: 1 }).lean()).toEqual(before);
  });

  it('when several recomputations run at once, then each episode still has exactly one alert', async () => {
    await Promise.all([1, 2, 3, 4].map(() => recomputeModuleAnalysis(moduleId, new Date())));
    const alerts = await AlertModel.find({ moduleId }).lean();
    const identities = alerts.map((a) => `${String(a.memberId)}|${a.audience}|${a.key}`);
    expect(new Set(identities).size).toBe(identities.length);
  });

  it('when the analysis is stored, then pages can read the snapshot: weeks, cohort bands and each learner’s figures', async () => {
    const snapshot = await getModuleSnapshot(moduleId);
    expect(snapshot?.weeks).toHaveLength(12);
    expect(snapshot?.learnerCount).toBe(9);
    expect(snapshot?.bands?.weeks.length).toBeGreaterThan(0);
    expect(snapshot?.lastActivityBySource.vle).not.toBeNull();
    const summaries = await listMemberSummaries(moduleId);
    expect(summaries.map((s) => s.memberId)).toContain(await fx.memberId('2001'));
    const steady = (await getMemberSnapshot(moduleId, await fx.memberId('2001')))!.summary;
    expect(steady.vle.activeDays).toBe(steadyDays(fx.calendar, 4).length);
    expect(steady.levels[0]).toBeGreaterThan(0);
  });

  it('when a quiet learner becomes active again, then the open alert is closed by Waymark with an explanation', async () => {
    const yesterday = daysSoFar(fx.calendar) - 1;
    await fx.importVle(vleRows(fx.calendar, { userId: Q1, name: 'Quiet Quinn' }, [yesterday]), 'q1-back');
    const outcome = await recomputeModuleAnalysis(moduleId, new Date());
    expect(outcome?.closed).toBeGreaterThan(0);
    const [alert] = await noEngagementOf(Q1);
    expect(alert?.state).toBe('resolved');
    expect(alert?.closedBy).toBe('waymark');
    expect(alert?.closeExplanation).toMatch(/^Activity resumed/);
    expect(alert?.history.map((h) => h.kind)).toEqual(['opened', 'closed']);
  });

  it('when staff dismiss an alert whose rule still holds, then recomputing leaves it dismissed and opens nothing new', async () => {
    const [alert] = await noEngagementOf(Q3);
    expect(alert?.state).toBe('open');
    await changeAlertState(moduleId, alert!.id, { state: 'dismissed', note: '', dismissReason: 'Studying from the printed pack this term' }, { userId: 't1', name: 'Tess Teacher' }, new Date());
    await recomputeModuleAnalysis(moduleId, new Date());
    const after = await noEngagementOf(Q3);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: alert!.id, state: 'dismissed', dismissReason: 'Studying from the printed pack this term' });
  });

  it('when a known cause covers the gap, then the no-engagement alert closes, and reopens if the cause is removed', async () => {
    const [alert] = await noEngagementOf(Q2);
    expect(alert?.state).toBe('open');
    const calendar = fx.calendar;
    const cause = await addKnownCause({ moduleId, memberId: await fx.memberId(Q2), from: calendar.start, to: calendar.end, reason: 'Authorised absence', createdByUserId: 't1', createdByName: 'Tess Teacher' });
    await recomputeModuleAnalysis(moduleId, new Date());
    await recomputeModuleAnalysis(moduleId, new Date());
    const after = await noEngagementOf(Q2);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ state: 'resolved', closedBy: 'waymark' });
    expect(after[0]!.closeExplanation).toMatch(/no longer pass the threshold/);

    // Entered by mistake and removed: the same episode comes back as the same alert, history kept.
    await removeKnownCause(moduleId, await fx.memberId(Q2), cause.id);
    await recomputeModuleAnalysis(moduleId, new Date());
    const reopened = await noEngagementOf(Q2);
    expect(reopened).toHaveLength(1);
    expect(reopened[0]).toMatchObject({ id: alert!.id, state: 'open', closedBy: null });
    expect(reopened[0]!.history.map((h) => h.kind)).toEqual(['opened', 'closed', 'opened']);
  });

  it('when a learner with live alerts leaves the module, then their alerts close saying they are no longer active', async () => {
    const memberId = await fx.memberId(Q4);
    const live = await listAlerts(moduleId, { audiences: ['staff'], memberIds: [memberId], states: ['open', 'acknowledged', 'contacted'] });
    expect(live.map((a) => a.rule)).toContain('noEngagement');
    await MemberModel.updateOne({ _id: memberId }, { $set: { status: 'gone', leftAt: new Date() } });
    await recomputeModuleAnalysis(moduleId, new Date());
    const after = await listAlerts(moduleId, { audiences: ['staff'], memberIds: [memberId] });
    expect(after.map((a) => a.id).sort()).toEqual(live.map((a) => a.id).sort());
    for (const a of after) {
      expect(a).toMatchObject({ state: 'resolved', closedBy: 'waymark' });
      expect(a.closeExplanation).toMatch(/now withdrawn in this module/);
    }
  });
});
