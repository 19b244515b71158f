import { TestBrowser, type BrowserPage } from '../../platform';
import type { EngagementModule } from '../analytics/engagement-module-fixture';
import { DROPPED, LOW, SILENT, startStaffScenarioAsTeacher } from './staff-module-scenario';
import { alertCards, csrfOf, textOf } from './staff-html';
import { findAlert, listAlerts, type AlertRecord } from '../../../src/store/alert-repository';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { recomputeModuleAnalysis } from '../../../src/reports/module-analysis-service';

describe('alert queue', () => {
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

  const queue = (query: Record<string, string> = {}) => fx.open(teacher, '/app/module/alerts', ltik, query);
  const act = (page: BrowserPage, alertId: string, fields: Record<string, string>) =>
    teacher.post(`${fx.tool.baseUrl}/app/module/alerts/${alertId}?ltik=${encodeURIComponent(ltik)}`, { _csrf: csrfOf(page), returnTo: 'queue', ...fields });
  const alertOf = async (userId: string, rule: AlertRecord['rule']): Promise<AlertRecord> =>
    (await listAlerts(moduleId, { audiences: ['staff'], memberIds: [await fx.memberId(userId)], rules: [rule] }))[0]!;

  it('when a teacher opens the queue, then every open alert is listed with its learner and its evidence in words', async () => {
    const page = await queue();
    expect(page.status).toBe(200);
    const cards = alertCards(page.html);
    const open = await listAlerts(moduleId, { audiences: ['staff'], states: ['open', 'acknowledged'] });
    expect(cards.map((c) => c.id).sort()).toEqual(open.map((a) => a.id).sort());
    const silent = cards.find((c) => c.rule === 'noEngagement')!;
    expect(silent.text).toContain(SILENT.name);
    expect(silent.text).toMatch(/No activity in Moodle, Teams or Echo360 since \w{3} \d+ \w{3} \(last activity .*\): \d+ teaching days \(more than 14\)/);
    expect(alertCards(page.html).find((c) => c.rule === 'suddenDrop')?.text).toContain(DROPPED.name);
    expect(textOf(page.html)).toContain('Nothing here is ever sent to a student');
  });

  it('when a teacher acknowledges an alert, then its state and history record who did it, and the change is audited', async () => {
    const alert = await alertOf(DROPPED.userId, 'suddenDrop');
    const after = await act(await queue(), alert.id, { action: 'acknowledge' });
    expect(after.status).toBe(200);
    expect(new URL(after.url).searchParams.get('done')).toBe('alert-acknowledged');
    const stored = await findAlert(moduleId, alert.id);
    expect(stored?.state).toBe('acknowledged');
    expect(stored?.history.at(-1)).toMatchObject({ kind: 'state', state: 'acknowledged', actorUserId: 't1', actorName: 'Tess Teacher' });
    const [audit] = await listAuditEntries({ moduleId, action: 'alert.update' });
    expect(audit).toMatchObject({ learnerMemberId: alert.memberId, actorUserId: 't1', detail: { alertId: alert.id, action: 'acknowledge', state: 'acknowledged', rule: 'suddenDrop' } });

    const again = await act(await queue(), alert.id, { action: 'acknowledge' });
    expect(again.status).toBe(400);
    expect(textOf(again.html)).toContain('This alert is no longer open');
  });

  it('when a teacher records a contact, then a note is required and kept in the history', async () => {
    const alert = await alertOf(DROPPED.userId, 'suddenDrop');
    const missing = await act(await queue(), alert.id, { action: 'contact', note: ' ' });
    expect(missing.status).toBe(400);
    expect(textOf(missing.html)).toContain('What happened: say briefly how you made contact.');
    await act(await queue(), alert.id, { action: 'contact', note: 'Emailed Keira; she replied she is on placement.' });
    const stored = await findAlert(moduleId, alert.id);
    expect(stored?.state).toBe('contacted');
    expect(stored?.history.at(-1)?.note).toBe('Emailed Keira; she replied she is on placement.');
    const contacted = alertCards((await queue({ tab: 'contacted' })).html);
    expect(contacted.find((c) => c.id === alert.id)?.text).toContain('Emailed Keira; she replied she is on placement.');
  });

  it('when a teacher dismisses an alert, then a reason is required, and the alert stays dismissed after the module is recomputed', async () => {
    const alert = await alertOf(LOW.userId, 'persistentLow');
    const noReason = await act(await queue(), alert.id, { action: 'dismiss', reason: '' });
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.html)).toContain('Why no contact is needed: give a short reason');
    expect((await findAlert(moduleId, alert.id))?.state).toBe('open');

    await act(await queue(), alert.id, { action: 'dismiss', reason: 'Part-time learner by agreement; studies mostly offline.' });
    await recomputeModuleAnalysis(moduleId, new Date());
    const stored = await findAlert(moduleId, alert.id);
    expect(stored).toMatchObject({ state: 'dismissed', closedBy: 'staff', dismissReason: 'Part-time learner by agreement; studies mostly offline.' });
    expect(await listAlerts(moduleId, { audiences: ['staff'], memberIds: [alert.memberId], rules: ['persistentLow'] })).toHaveLength(1);
    const closed = alertCards((await queue({ tab: 'closed' })).html).find((c) => c.id === alert.id);
    expect(closed?.text).toContain('Dismissed: Part-time learner by agreement; studies mostly offline.');
  });

  it('when a teacher resolves an alert and then reopens it, then both changes are kept in its history', async () => {
    const alert = await alertOf(SILENT.userId, 'noEngagement');
    await act(await queue(), alert.id, { action: 'resolve', note: 'Met in person.' });
    expect(await findAlert(moduleId, alert.id)).toMatchObject({ state: 'resolved', closedBy: 'staff' });
    await act(await queue({ tab: 'closed' }), alert.id, { action: 'reopen' });
    const stored = await findAlert(moduleId, alert.id);
    expect(stored).toMatchObject({ state: 'open', closedBy: null });
    expect(stored?.history.slice(-2).map((h) => h.state)).toEqual(['resolved', 'open']);
  });

  it('when a change comes without the page’s CSRF token, then it is refused and nothing changes', async () => {
    const alert = await alertOf(SILENT.userId, 'noEngagement');
    const forged = await teacher.post(`${fx.tool.baseUrl}/app/module/alerts/${alert.id}?ltik=${encodeURIComponent(ltik)}`, { action: 'dismiss', reason: 'Forged' });
    expect(forged.status).toBe(403);
    expect((await findAlert(moduleId, alert.id))?.state).toBe('open');
  });

  it('when the queue is filtered by rule, then only that rule’s alerts are listed', async () => {
    const cards = alertCards((await queue({ rule: 'noEngagement' })).html);
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(card.rule).toBe('noEngagement');
    const bad = await queue({ rule: 'gossip' });
    expect(bad.status).toBe(400);
  });
});
