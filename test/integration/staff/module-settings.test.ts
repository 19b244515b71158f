import { DateTime } from 'luxon';
import { TestBrowser, type BrowserPage } from '../../platform';
import { ROLE } from '../../support/lti-roles';
import { ltikOf, periodDay, type EngagementModule } from '../analytics/engagement-module-fixture';
import { SILENT, STEADY, startStaffScenarioAsTeacher } from './staff-module-scenario';
import { csrfOf, textOf } from './staff-html';
import { getModuleSettings } from '../../../src/store/module-settings-repository';
import { listAlerts } from '../../../src/store/alert-repository';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { getModuleById } from '../../../src/store/module-repository';
import { listModuleRollups } from '../../../src/store/daily-activity-repository';
import { insertEvents } from '../../../src/store/event-repository';
import { rebuildModuleRollups } from '../../../src/ingest/daily-rollup';
import { PlatformProfileModel } from '../../../src/store/models/platform-profile-model';

/** The fields the settings form sends, read back from the page as a browser would submit it. */
function formFields(page: BrowserPage): Record<string, string> {
  const form = /<form class="settings-form"[\s\S]*?<\/form>/.exec(page.html)?.[0] ?? '';
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input([^>]*)>/g)) {
    const attrs = m[1] ?? '';
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name) continue;
    const value = (/value="([^"]*)"/.exec(attrs)?.[1] ?? '').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
    if (/type="checkbox"/.test(attrs)) {
      if (/ checked/.test(attrs)) fields[name] = value;
    } else fields[name] = value;
  }
  for (const m of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[m[1]!] = m[2]!;
  return fields;
}

describe('module settings', () => {
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

  const settingsPage = (browser = teacher, token = ltik) => fx.open(browser, '/app/module/settings', token);
  const save = (page: BrowserPage, fields: Record<string, string>, browser = teacher, token = ltik) =>
    browser.post(`${fx.tool.baseUrl}/app/module/settings?ltik=${encodeURIComponent(token)}`, { ...formFields(page), _csrf: csrfOf(page), ...fields });

  it('when a teacher opens the settings, then the form shows the period, the reading week, the default markers and the policy thresholds', async () => {
    const page = await settingsPage();
    expect(page.status).toBe(200);
    const fields = formFields(page);
    expect(fields).toMatchObject({ start: fx.calendar.start, end: fx.calendar.end, timeZone: 'Europe/London', 'period-0-label': 'Reading week', 'threshold-noEngagementDays': '14', 'threshold-minCohortSize': '5', minimumLevel: '' });
    expect(fields['marker-vleActiveDays']).toBe('yes');
    expect(fields['marker-vleClicks']).toBeUndefined();
  });

  it('when thresholds the engine would refuse are submitted, then the engine’s own messages are shown and nothing is saved', async () => {
    const before = await getModuleSettings(moduleId, new Date(), 'Europe/London');
    const page = await settingsPage();
    const refused = await save(page, { 'threshold-minCohortSize': '2', 'threshold-visaNoEngagementDays': '30', 'marker-vleActiveDays-weight': '-1', timeZone: 'Mars/Olympus_Mons' });
    expect(refused.status).toBe(422);
    const text = textOf(refused.html);
    expect(text).toContain('Nothing was saved.');
    expect(text).toContain('timeZone "Mars/Olympus_Mons" is not an IANA time zone');
    expect(text).toContain('marker vleActiveDays has weight -1: use a number above 0');
    // What was typed stays in the form.
    expect(formFields(refused)['threshold-minCohortSize']).toBe('2');
    const after = await getModuleSettings(moduleId, new Date(), 'Europe/London');
    expect(after).toEqual(before);

    const thresholds = await save(page, { 'threshold-minCohortSize': '2', 'threshold-persistentLowWeeks': '9' });
    const thresholdText = textOf(thresholds.html);
    expect(thresholdText).toContain('minCohortSize 2: use a whole number of 3 or more');
    expect(thresholdText).toContain('persistentLowWeeks 9: use a whole number from 1 to persistentLowWindow (4)');
  });

  it('when the first day’s year is mistyped or a break lies outside the teaching period, then the page says which and nothing is saved', async () => {
    const before = await getModuleSettings(moduleId, new Date(), 'Europe/London');
    const page = await settingsPage();
    const typo = await save(page, { start: '0202-09-28' });
    expect(typo.status).toBe(422);
    expect(textOf(typo.html)).toContain('start 0202-09-28 is in the year 202: check the year (2000–2099).');
    const outside = await save(page, { 'period-0-start': '2019-02-18', 'period-0-end': '2019-02-22' });
    expect(outside.status).toBe(422);
    expect(textOf(outside.html)).toContain(`Non-teaching period 1 (“Reading week”), 2019-02-18 to 2019-02-22, lies outside the teaching period ${fx.calendar.start} to ${fx.calendar.end}: check its days.`);
    expect(await getModuleSettings(moduleId, new Date(), 'Europe/London')).toEqual(before);
  });

  it('when a teacher saves a longer no-engagement threshold, then only the change is stored, alerts are recomputed and the change is audited', async () => {
    const open = await listAlerts(moduleId, { audiences: ['staff'], memberIds: [await fx.memberId(SILENT.userId)], rules: ['noEngagement'] });
    expect(open[0]?.state).toBe('open');
    const page = await settingsPage();
    const saved = await save(page, { 'threshold-noEngagementDays': '60', expectationsText: 'At least three days a week in Moodle.', contactText: 'Dr Tess Teacher, t.teacher@example.ac.uk' });
    expect(saved.status).toBe(200);
    expect(new URL(saved.url).searchParams.get('done')).toBe('settings-saved');
    const settings = await getModuleSettings(moduleId, new Date(), 'Europe/London');
    expect(settings.thresholds).toEqual({ noEngagementDays: 60 });
    expect(settings.markers).toBeNull();
    expect(settings.expectationsText).toBe('At least three days a week in Moodle.');
    expect(settings.calendar.nonTeachingWeeks.map((p) => p.label)).toEqual(['Reading week']);
    const closed = await listAlerts(moduleId, { audiences: ['staff'], memberIds: [await fx.memberId(SILENT.userId)], rules: ['noEngagement'] });
    expect(closed[0]).toMatchObject({ id: open[0]!.id, state: 'resolved', closedBy: 'waymark' });
    expect(closed[0]!.closeExplanation).toMatch(/no longer pass the threshold/);
    const [audit] = await listAuditEntries({ moduleId, action: 'module-settings.update' });
    expect(audit).toMatchObject({ actorUserId: 't1', detail: { zoneChanged: false, thresholds: '{"noEngagementDays":60}', markers: null } });
  });

  it('when a teacher chooses their own markers and a minimum, then they are stored as chosen', async () => {
    const page = await settingsPage();
    const fields = formFields(page);
    for (const key of Object.keys(fields)) if (/^marker-[a-zA-Z]+$/.test(key)) delete fields[key];
    const saved = await teacher.post(`${fx.tool.baseUrl}/app/module/settings?ltik=${encodeURIComponent(ltik)}`, {
      ...fields,
      _csrf: csrfOf(page),
      'marker-vleActiveDays': 'yes',
      'marker-vleActiveDays-weight': '2',
      'marker-vleActiveDays-target': '4',
      'marker-meetingsAttended': 'yes',
      'marker-meetingsAttended-weight': '1',
      'marker-meetingsAttended-target': '1',
      minimumLevel: '40',
    });
    expect(saved.status).toBe(200);
    const settings = await getModuleSettings(moduleId, new Date(), 'Europe/London');
    expect(settings.markers).toEqual({
      markers: [
        { indicator: 'vleActiveDays', weight: 2, weeklyTarget: 4 },
        { indicator: 'meetingsAttended', weight: 1, weeklyTarget: 1 },
      ],
      minimumLevel: 40,
    });
  });

  it('when the time zone changes, then days are recounted in the new zone', async () => {
    const amira = await fx.memberId(STEADY[0]!.userId);
    // 00:30 in London on day 2 is still day 1 in New York.
    const lateNight = DateTime.fromJSDate(periodDay(fx.calendar, 2, 0)).plus({ minutes: 30 }).toJSDate();
    await insertEvents([{ moduleId, memberId: amira, source: 'recording', sourceId: 'late-night-viewing', occurredAt: lateNight, count: 1, minutes: 20, detail: {} }]);
    await rebuildModuleRollups(moduleId, 'Europe/London');
    const london = (await listModuleRollups(moduleId)).find((r) => r.memberId === amira && r.source === 'recording' && r.minutes === 20);
    expect(london?.day).toBe(DateTime.fromISO(fx.calendar.start).plus({ days: 2 }).toISODate());
    const page = await settingsPage();
    const saved = await save(page, { timeZone: 'America/New_York' });
    expect(saved.status).toBe(200);
    expect((await getModuleById(moduleId))?.timeZone).toBe('America/New_York');
    const newYork = (await listModuleRollups(moduleId)).find((r) => r.memberId === amira && r.source === 'recording' && r.minutes === 20);
    expect(newYork?.day).toBe(DateTime.fromISO(fx.calendar.start).plus({ days: 1 }).toISODate());
    expect((await listAuditEntries({ moduleId, action: 'module-settings.update' }))[0]?.detail.zoneChanged).toBe(true);
  });

  it('when a designer opens the settings, then they can change them, but a student cannot open them', async () => {
    const designer = new TestBrowser();
    const landing = await fx.launch('d1', [ROLE.contentDeveloper], {}, designer);
    expect(new URL(landing.url).pathname).toBe('/app/overview');
    expect(landing.html).toContain('/app/module/settings');
    const designerLtik = ltikOf(landing);
    const page = await settingsPage(designer, designerLtik);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('aria-label="Module pages"');
    const saved = await save(page, { contactText: 'The module office.' }, designer, designerLtik);
    expect(saved.status).toBe(200);
    expect((await getModuleSettings(moduleId, new Date(), 'Europe/London')).contactText).toBe('The module office.');

    const student = new TestBrowser();
    const studentLtik = ltikOf(await fx.launch(SILENT.userId, [ROLE.learner], {}, student));
    expect((await settingsPage(student, studentLtik)).status).toBe(403);
  });

  // Last: it names visa-compliance staff and stores a visa threshold, which the tests above do not expect.
  it('when staff not named for visa compliance send a sponsored-visa threshold, then it stays as it was; visa-compliance staff can change it', async () => {
    const page = await settingsPage();
    expect(page.html).toMatch(/name="threshold-visaNoEngagementDays"[^>]*readonly/);
    const ignored = await save(page, { 'threshold-visaNoEngagementDays': '14' });
    expect(ignored.status).toBe(200);
    expect((await getModuleSettings(moduleId, new Date(), 'Europe/London')).thresholds.visaNoEngagementDays).toBeUndefined();
    // Lowering the rule for everyone below the visa rule takes the visa rule down with it, rather than refusing.
    const lowered = await save(page, { 'threshold-noEngagementDays': '5' });
    expect(lowered.status).toBe(200);
    expect((await getModuleSettings(moduleId, new Date(), 'Europe/London')).thresholds).toMatchObject({ noEngagementDays: 5, visaNoEngagementDays: 5 });

    await PlatformProfileModel.updateOne({ platformId: (await fx.module()).platformId }, { $set: { visaComplianceUserIds: ['v1'] } });
    const visa = new TestBrowser();
    const visaLtik = ltikOf(await fx.launch('v1', [ROLE.instructor], {}, visa));
    const visaPage = await settingsPage(visa, visaLtik);
    expect(visaPage.html).not.toMatch(/name="threshold-visaNoEngagementDays"[^>]*readonly/);
    const refused = await save(visaPage, { 'threshold-visaNoEngagementDays': '999' }, visa, visaLtik);
    expect(textOf(refused.html)).toContain('visaNoEngagementDays 999 is more lenient than noEngagementDays');
    const saved = await save(visaPage, { 'threshold-visaNoEngagementDays': '3' }, visa, visaLtik);
    expect(saved.status).toBe(200);
    expect((await getModuleSettings(moduleId, new Date(), 'Europe/London')).thresholds.visaNoEngagementDays).toBe(3);
  });
});
