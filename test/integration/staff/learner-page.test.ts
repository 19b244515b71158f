import { DateTime } from 'luxon';
import { TestBrowser, type BrowserPage } from '../../platform';
import { ROLE } from '../../support/lti-roles';
import { ltikOf, type EngagementModule } from '../analytics/engagement-module-fixture';
import { LOW, SILENT, STEADY, startStaffScenarioAsTeacher } from './staff-module-scenario';
import { alertCards, csrfOf, decode, heading, learnerNames, textOf } from './staff-html';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { listAlerts } from '../../../src/store/alert-repository';
import { listInterventions } from '../../../src/store/intervention-repository';
import { listKnownCauses } from '../../../src/store/known-cause-repository';
import { createDataReport, listDataReports } from '../../../src/store/data-report-repository';
import { findMemberById } from '../../../src/store/member-repository';
import { PlatformProfileModel } from '../../../src/store/models/platform-profile-model';

describe('learner page', () => {
  let fx: EngagementModule;
  let teacher: TestBrowser;
  let ltik: string;
  let moduleId: string;
  let isla: string;

  beforeAll(async () => {
    ({ fx, moduleId, teacher, ltik } = await startStaffScenarioAsTeacher());
    isla = await fx.memberId(SILENT.userId);
  });

  afterAll(async () => {
    await fx.close();
  });

  const learnerPage = (memberId = isla, browser = teacher, token = ltik) => fx.open(browser, `/app/learners/${memberId}`, token);
  const post = (page: BrowserPage, path: string, fields: Record<string, string>, browser = teacher, token = ltik) =>
    browser.post(`${fx.tool.baseUrl}${path}?ltik=${encodeURIComponent(token)}`, { _csrf: csrfOf(page), ...fields });

  it('when a teacher opens a learner, then the page shows their weeks against the cohort, assignments, alerts and a supportive email, and each view is audited', async () => {
    const before = (await listAuditEntries({ moduleId, learnerMemberId: isla, action: 'learner.view' })).length;
    const page = await learnerPage();
    await learnerPage();
    expect(page.status).toBe(200);
    expect(heading(page.html)).toBe(SILENT.name);
    const text = textOf(page.html);
    expect(text).toContain('A prompt for a conversation, not a judgement.');
    for (const chart of ['member-level', 'member-vle', 'member-meeting', 'member-recording']) expect(page.html).toContain(`id="${chart}-data"`);
    // Each chart carries its figures as a table of its own, for screen readers and without script.
    const charts = page.html.match(/<figure class="chart"/g)?.length ?? 0;
    expect(charts).toBeGreaterThanOrEqual(4);
    expect(page.html.match(/<summary>Show the figures as a table<\/summary>/g)).toHaveLength(charts);
    expect(text).toContain('Engagement level per week');
    expect(text).toMatch(/Essay plan .* Not submitted/);
    expect(alertCards(page.html).map((c) => c.rule)).toContain('noEngagement');
    expect(alertCards(page.html).find((c) => c.rule === 'noEngagement')?.text).toMatch(/No activity in Moodle, Teams or Echo360 since/);
    expect(decode(page.html)).toContain('href="mailto:isla.kowalski@student.example.ac.uk?subject=Checking%20in%3A%20Research%20Methods%20in%20Psychology&body=Hello%20Isla%2C');
    expect(text).toContain('Waymark never sends email to students.');
    const after = await listAuditEntries({ moduleId, learnerMemberId: isla, action: 'learner.view' });
    expect(after.length - before).toBe(2);
    expect(after[0]).toMatchObject({ actorUserId: 't1', actorRole: 'staff' });
  });

  it('when a teacher records a supportive contact, then it is logged, the learner’s open alerts are marked contacted, and it is audited', async () => {
    const page = await learnerPage();
    const saved = await post(page, `/app/learners/${isla}/interventions`, {
      method: 'phone',
      contactedOn: fx.calendar.start,
      note: 'Called to check in; unwell for a fortnight.',
      outcome: 'Catching up with the recordings.',
      followUpOn: fx.calendar.end,
      markAlertsContacted: 'yes',
    });
    expect(saved.status).toBe(200);
    expect(new URL(saved.url).searchParams.get('done')).toBe('contact-recorded');
    expect(textOf(saved.html)).toContain('Called to check in; unwell for a fortnight.');
    const [logged] = await listInterventions(moduleId, isla);
    expect(logged).toMatchObject({ method: 'phone', contactedOn: fx.calendar.start, followUpOn: fx.calendar.end, recordedByUserId: 't1', recordedByName: 'Tess Teacher' });
    const alerts = await listAlerts(moduleId, { audiences: ['staff'], memberIds: [isla] });
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) expect(alert.state).toBe('contacted');
    const audit = await listAuditEntries({ moduleId, learnerMemberId: isla, action: 'intervention.create' });
    expect(audit[0]?.detail).toMatchObject({ interventionId: logged!.id, method: 'phone' });
  });

  it('when a follow-up day passes with no contact since, then the dashboard lists it until the next contact is recorded', async () => {
    const dawn = await fx.memberId(LOW.userId);
    const day = (offset: number) => DateTime.now().setZone('Europe/London').plus({ days: offset }).toISODate()!;
    const followUpsOnDashboard = async () =>
      /<section[^>]*data-testid="follow-ups-due">([\s\S]*?)<\/section>/.exec(decode((await fx.open(teacher, '/app/module', ltik)).html))?.[1] ?? '';
    const page = await learnerPage(dawn);
    await post(page, `/app/learners/${dawn}/interventions`, { method: 'email', contactedOn: day(-10), note: 'Emailed to check in.', outcome: '', followUpOn: day(-3) });
    expect(await followUpsOnDashboard()).toMatch(new RegExp(`href="/app/learners/${dawn}\\?ltik=[^"]+">${LOW.name}</a>, due `));
    await post(page, `/app/learners/${dawn}/interventions`, { method: 'phone', contactedOn: day(0), note: 'Called: no answer.', outcome: '', followUpOn: '' });
    expect(await followUpsOnDashboard()).toBe('');
  });

  it('when a contact form is incomplete or dated in the future, then the page says what to fix, keeps what was typed and stores nothing', async () => {
    const before = (await listInterventions(moduleId, isla)).length;
    const page = await learnerPage();
    const empty = await post(page, `/app/learners/${isla}/interventions`, { method: 'email', contactedOn: fx.calendar.start, note: '', outcome: '', followUpOn: '' });
    expect(empty.status).toBe(422);
    expect(textOf(empty.html)).toContain('Note or outcome: say briefly what was discussed or agreed');
    const future = await post(page, `/app/learners/${isla}/interventions`, { method: 'video', contactedOn: '2999-01-01', note: 'Planned a call', outcome: '', followUpOn: '' });
    expect(future.status).toBe(422);
    expect(textOf(future.html)).toContain('Date of contact: it is in the future');
    expect(future.html).toContain('>Planned a call</textarea>');
    expect(future.html).toMatch(/<option value="video" selected>/);
    expect(await listInterventions(moduleId, isla)).toHaveLength(before);
  });

  it('when a teacher adds a known cause over the gap, then the no-engagement alert closes; removing it brings the alert back; both are audited', async () => {
    const page = await learnerPage();
    const added = await post(page, `/app/learners/${isla}/known-causes`, { from: fx.calendar.start, to: fx.calendar.end, reason: 'Authorised absence' });
    expect(new URL(added.url).searchParams.get('done')).toBe('cause-added');
    expect(textOf(added.html)).toContain('Authorised absence');
    const closed = (await listAlerts(moduleId, { audiences: ['staff'], memberIds: [isla], rules: ['noEngagement'] }))[0];
    expect(closed).toMatchObject({ state: 'resolved', closedBy: 'waymark' });
    const [cause] = await listKnownCauses(moduleId, isla);
    const removed = await post(added, `/app/learners/${isla}/known-causes/${cause!.id}/remove`, {});
    expect(new URL(removed.url).searchParams.get('done')).toBe('cause-removed');
    expect(await listKnownCauses(moduleId, isla)).toEqual([]);
    const back = (await listAlerts(moduleId, { audiences: ['staff'], memberIds: [isla], rules: ['noEngagement'] }))[0];
    expect(back).toMatchObject({ id: closed!.id, state: 'open' });
    const actions = (await listAuditEntries({ moduleId, learnerMemberId: isla })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['known-cause.create', 'known-cause.delete']));
  });

  it('when a known cause has its days the wrong way round, then nothing is stored and the form says so', async () => {
    const page = await learnerPage();
    const refused = await post(page, `/app/learners/${isla}/known-causes`, { from: fx.calendar.end, to: fx.calendar.start, reason: 'Placement' });
    expect(refused.status).toBe(422);
    expect(textOf(refused.html)).toContain('To: choose a day on or after From');
    expect(await listKnownCauses(moduleId, isla)).toEqual([]);
  });

  it('when the student reported a data problem, then staff see it and can mark it seen and resolved', async () => {
    const report = await createDataReport({ moduleId, memberId: isla, source: 'meeting', text: 'I attended the week 3 seminar in person.' });
    // The dashboard points at it until someone has looked.
    const waiting = /<section[^>]*data-testid="new-data-reports">([\s\S]*?)<\/section>/.exec(decode((await fx.open(teacher, '/app/module', ltik)).html))?.[1] ?? '';
    expect(waiting).toMatch(new RegExp(`href="/app/learners/${isla}\\?ltik=[^"]+#reports-heading">${SILENT.name}</a>, sent `));
    const page = await learnerPage();
    expect(textOf(page.html)).toContain('I attended the week 3 seminar in person.');
    const seen = await post(page, `/app/learners/${isla}/data-reports/${report.id}`, { status: 'seen', staffNote: 'Checking the register' });
    expect(new URL(seen.url).searchParams.get('done')).toBe('report-updated');
    expect((await listDataReports(moduleId, isla))[0]).toMatchObject({ status: 'seen', staffNote: 'Checking the register' });
    expect((await fx.open(teacher, '/app/module', ltik)).html).not.toContain('data-testid="new-data-reports"');
    const audit = await listAuditEntries({ moduleId, learnerMemberId: isla, action: 'data-report.update' });
    expect(audit[0]?.detail).toMatchObject({ reportId: report.id, status: 'seen' });
  });

  it('when a teacher marks someone as not a learner, then they leave the learner table and their alerts close; marking them back restores them', async () => {
    const jonah = await fx.memberId(LOW.userId);
    const page = await learnerPage(jonah);
    const marked = await post(page, `/app/learners/${jonah}/not-learner`, { value: 'yes' });
    expect(new URL(marked.url).searchParams.get('done')).toBe('learner-flag-updated');
    expect(textOf(marked.html)).toContain('Marked as not a learner');
    const dashboard = await fx.open(teacher, '/app/module', ltik);
    expect(learnerNames(dashboard.html)).not.toContain(LOW.name);
    expect(textOf(dashboard.html)).toMatch(/Jonah Price Not counted as a learner/);
    for (const alert of await listAlerts(moduleId, { audiences: ['staff'], memberIds: [jonah] })) expect(alert.state).toBe('resolved');
    await post(marked, `/app/learners/${jonah}/not-learner`, { value: 'no' });
    expect(learnerNames((await fx.open(teacher, '/app/module', ltik)).html)).toContain(LOW.name);
    expect((await listAuditEntries({ moduleId, learnerMemberId: jonah, action: 'learner.update' })).map((e) => e.detail.notLearner)).toEqual([false, true]);
  });

  it('when staff who are not named for visa compliance try to set sponsored-visa status, then they are refused and never see it', async () => {
    const page = await learnerPage();
    expect(page.html).not.toContain('Sponsored-visa status');
    const refused = await post(page, `/app/learners/${isla}/sponsored-visa`, { value: 'yes' });
    expect(refused.status).toBe(403);
    expect((await findMemberById(moduleId, isla))?.sponsoredVisa).toBe(false);
  });

  it('when visa-compliance staff mark a learner as sponsored-visa, then only they see the visa alerts', async () => {
    const platformId = (await fx.module()).platformId;
    await PlatformProfileModel.updateOne({ platformId }, { $set: { visaComplianceUserIds: ['v1'] } });
    const visa = new TestBrowser();
    const visaLtik = ltikOf(await fx.launch('v1', [ROLE.instructor], {}, visa));
    const page = await learnerPage(isla, visa, visaLtik);
    expect(textOf(page.html)).toContain('Sponsored-visa status: Not marked');
    const marked = await post(page, `/app/learners/${isla}/sponsored-visa`, { value: 'yes' }, visa, visaLtik);
    expect(new URL(marked.url).searchParams.get('done')).toBe('visa-updated');
    expect((await findMemberById(moduleId, isla))?.sponsoredVisa).toBe(true);
    expect((await listAuditEntries({ moduleId, learnerMemberId: isla, action: 'learner.visa-update' }))[0]?.actorUserId).toBe('v1');

    const visaQueue = alertCards((await fx.open(visa, '/app/module/alerts', visaLtik, { tab: 'attention' })).html);
    expect(visaQueue.some((c) => c.rule === 'sponsoredVisa' && c.text.includes('Visa compliance only'))).toBe(true);
    for (const tab of ['attention', 'contacted', 'closed']) {
      const staffQueue = await fx.open(teacher, '/app/module/alerts', ltik, { tab });
      expect(alertCards(staffQueue.html).some((c) => c.rule === 'sponsoredVisa')).toBe(false);
    }
    expect(textOf((await learnerPage()).html)).not.toContain('Sponsored visa');
  });

  it('when the student opens their own panel, then no alert, contact note or staff comment appears there', async () => {
    const student = new TestBrowser();
    const panel = await fx.launch(SILENT.userId, [ROLE.learner], {}, student);
    expect(new URL(panel.url).pathname).toBe('/app/me');
    const text = textOf(panel.html);
    for (const secret of ['Called to check in', 'unwell for a fortnight', 'Catching up with the recordings', 'Checking the register', 'No activity in Moodle, Teams or Echo360 since', 'Sponsored visa']) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain(STEADY[0]!.name);
  });
});
