import { TestBrowser, type BrowserPage } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { recomputeModuleAnalysis } from '../../../src/reports/module-analysis-service';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { listAssignments, upsertAssignment, upsertSubmission } from '../../../src/store/assignment-repository';
import { AlertModel } from '../../../src/store/models/alert-model';
import { InterventionModel } from '../../../src/store/models/intervention-model';
import { MemberModel } from '../../../src/store/models/member-model';
import type { Module } from '../../../src/store/types';
import { activeDays, addDays, memberOf, moduleOf, seedVleDays, startTeachingPeriod } from './engagement-seed';

/** Rows of the weekly table as [week, dates, level, band, median, note] (band columns only when shown). */
function weeklyRows(page: BrowserPage): string[][] {
  const table = /<table[^>]*data-testid="weekly-table">([\s\S]*?)<\/table>/.exec(page.html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => (c[1] ?? '').trim()));
}

const LEARNERS: Array<{ userId: string; name: string; daysPerWeek: number }> = [
  { userId: 's1', name: 'Ada Active', daysPerWeek: 3 },
  { userId: 's2', name: 'Bob Quiet', daysPerWeek: 1 },
  { userId: 's3', name: 'Cleo Middle', daysPerWeek: 2 },
  { userId: 's4', name: 'Dev Middle', daysPerWeek: 2 },
  { userId: 's5', name: 'Eve Absent', daysPerWeek: 0 },
  { userId: 's6', name: 'Finn Steady', daysPerWeek: 3 },
];
const WEEKS_DONE = 3;
const INTERVENTION_NOTE = 'Spoke with Ada about her caring responsibilities';
const ALERT_EVIDENCE = 'No Moodle activity for 15 teaching days';

describe('the student panel', () => {
  let tool: RunningTool;
  let reg: Registration;
  let module: Module;
  let small: Module;

  const launch = (courseId: string, userId: string, browser = new TestBrowser()) =>
    browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId, userId, roles: [userId.startsWith('t') ? ROLE.instructor : ROLE.learner] });

  beforeAll(async () => {
    tool = await startTestTool();
    reg = await registerManually(tool);
    reg.platform.addCourse({ id: 'BIO200', title: 'Genetics' });
    reg.platform.addMember('BIO200', { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
    for (const l of LEARNERS) reg.platform.addMember('BIO200', { userId: l.userId, name: l.name, email: `${l.userId}@example.ac.uk`, roles: ['Learner'] });
    reg.platform.addCourse({ id: 'TINY1', title: 'Small Seminar' });
    reg.platform.addMember('TINY1', { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
    for (const l of LEARNERS.slice(0, 4)) reg.platform.addMember('TINY1', { userId: l.userId, name: l.name, roles: ['Learner'] });

    // Staff launches first, so Waymark knows each roster.
    await launch('BIO200', 't1');
    await launch('TINY1', 't1');
    module = await moduleOf(tool, reg, 'BIO200');
    small = await moduleOf(tool, reg, 'TINY1');
    const start = await startTeachingPeriod(module, WEEKS_DONE, {
      expectationsText: 'Attend every seminar and open Moodle at least three days a week.',
      contactText: 'Dr Tess Teacher (genetics-office@example.ac.uk)',
    });
    await startTeachingPeriod(small, WEEKS_DONE);
    for (const l of LEARNERS) {
      const member = await memberOf(module, l.userId);
      await seedVleDays(module, member, activeDays(start, WEEKS_DONE, l.daysPerWeek));
      if (l.userId !== 's5' && l.userId !== 's6') await seedVleDays(small, await memberOf(small, l.userId), activeDays(start, WEEKS_DONE, l.daysPerWeek));
    }
    // Work due on the Friday of week 2: only Ada handed it in.
    const essay = await upsertAssignment({ moduleId: module.id, key: 'staff:essay', title: 'Essay on inheritance', dueAt: new Date(`${addDays(start, 11)}T17:00:00Z`), origin: 'staff' });
    const ada = await memberOf(module, 's1');
    await upsertSubmission({ moduleId: module.id, assignmentId: essay.id, memberId: ada.id, submitted: true, submittedAt: new Date(`${addDays(start, 10)}T09:00:00Z`), late: false, status: 'submitted', origin: 'file' });
    // Staff-only records about Ada that her panel must never show.
    await MemberModel.updateOne({ _id: ada.id }, { $set: { sponsoredVisa: true } });
    await AlertModel.create({ moduleId: module.id, memberId: ada.id, rule: 'noEngagement', audience: 'staff', key: 'ne:1', state: 'open', since: start, evidence: { text: ALERT_EVIDENCE, figures: {} }, openedAt: new Date() });
    await InterventionModel.create({ moduleId: module.id, memberId: ada.id, method: 'email', contactedOn: start, note: INTERVENTION_NOTE, recordedByUserId: 't1', recordedByName: 'Tess Teacher' });
    await recomputeModuleAnalysis(module.id);
    await recomputeModuleAnalysis(small.id);
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  it('when a student launches, then the panel shows their own weekly levels against the cohort median and quartiles', async () => {
    const page = await launch('BIO200', 's1');
    expect(new URL(page.url).pathname).toBe('/app/me');
    expect(page.status).toBe(200);
    const rows = weeklyRows(page);
    // Weeks 1 and 3: three Moodle days meet the default marker (3 days a week): level 100.
    // Cohort levels 100, 33, 67, 67, 0, 100 -> lower quartile 42, median 67, upper quartile 92.
    expect(rows[0]).toEqual(['Week 1', expect.any(String), '100', '42 to 92', '67', '']);
    // Week 2 also counts the essay (weight 2 of 5): Ada 100; the others 20, 40, 40, 0, 60 -> 25 to 55, median 40.
    expect(rows[1]).toEqual(['Week 2', expect.any(String), '100', '25 to 55', '40', '']);
    expect(rows[2]?.slice(2, 5)).toEqual(['100', '42 to 92', '67']);
    expect(rows[3]?.[5]).toBe('This week is still running');
    expect(page.html).toContain('data-testid="assignments-summary">1 of 1 due so far');
    expect(page.html).toMatch(/<th scope="row">Essay on inheritance<\/th><td[^>]*>[^<]+<\/td><td data-label="Status">Handed in<\/td>/);
    const chart = JSON.parse(/id="member-own-level-data">([^<]*)<\/script>/.exec(page.html)?.[1] ?? 'null');
    expect(chart.series.map((line: { label: string }) => line.label)).toEqual(['You']);
    expect(chart.series[0].values.slice(0, 3)).toEqual([100, 100, 100]);
    expect(chart.band.median.slice(0, 3)).toEqual([67, 40, 67]);
    // The weekly table right after the chart carries its figures, so the chart adds no copy of its own.
    expect(page.html).not.toContain('Show the figures as a table');
  });

  it('when two students open their panels, then each sees only their own figures and never another student’s name', async () => {
    const bob = await launch('BIO200', 's2');
    const rows = weeklyRows(bob);
    expect(rows[0]?.slice(2, 5)).toEqual(['33', '42 to 92', '67']);
    expect(rows[1]?.slice(2, 5)).toEqual(['20', '25 to 55', '40']);
    expect(bob.html).toContain('0 of 1 due so far');
    expect(bob.html).toContain('<td data-label="Status">Not handed in</td>');
    const ada = await launch('BIO200', 's1');
    for (const [page, self] of [[bob, 's2'], [ada, 's1']] as const) {
      for (const other of LEARNERS.filter((l) => l.userId !== self)) {
        expect(page.html).not.toContain(other.name);
        expect(page.html).not.toContain(`${other.userId}@example.ac.uk`);
      }
    }
  });

  it('when a student opens their panel, then no alert, intervention, staff note or visa flag appears', async () => {
    const page = await launch('BIO200', 's1');
    for (const staffOnly of [INTERVENTION_NOTE, ALERT_EVIDENCE, 'Tess Teacher recorded', 'sponsored', 'Sponsored', 'visa', 'alert']) {
      expect(page.html).not.toContain(staffOnly);
    }
  });

  it('when a student opens their panel, then it explains what is measured, that it is never assessment, the expectations and whom to contact', async () => {
    const page = await launch('BIO200', 's1');
    const measures = /<ul class="measure-list" data-testid="measures">([\s\S]*?)<\/ul>/.exec(page.html)?.[1] ?? '';
    // The default markers, with their share of the weekly level (weights 3, 2, 1, 1 of 7).
    expect(measures).toContain('Days active on Moodle</strong> (43% of the weekly level)');
    expect(measures).toContain('Work handed in</strong> (29% of the weekly level)');
    expect(measures).toContain('about 3 days a week');
    expect(page.html).toContain('Engagement is never part of your assessment.');
    expect(page.html).toContain('data-testid="expectations">Attend every seminar and open Moodle at least three days a week.');
    expect(page.html).toContain('contact Dr Tess Teacher (genetics-office@example.ac.uk).');
    expect(page.html).toMatch(/<dt>Moodle<\/dt><dd class="facts__small">\w{3} \d{1,2} \w{3} \d{4}<\/dd>/);
    // When staff may get in touch, with the module's own thresholds; with no minimum set, it says what is compared.
    const prompts = /<ul data-testid="contact-prompts">([\s\S]*?)<\/ul>/.exec(page.html)?.[1] ?? '';
    expect(prompts).toContain('no activity in the module’s systems for more than 14 teaching days in a row');
    expect(prompts).toContain('among the lowest quarter of the module (this module has set no minimum');
    expect(prompts).toContain('in 3 of the last 4 teaching weeks');
    // The download says what it holds and what it leaves out, rather than claiming to be everything.
    expect(page.html).toContain('is not in this download: you can ask for it, with everything else Waymark holds about you, through a subject access request.');
  });

  it('when the module has only four learners, then the cohort band is hidden and only the student’s own levels show', async () => {
    const page = await launch('TINY1', 's2');
    expect(page.status).toBe(200);
    expect(page.html).toContain('The cohort comparison is hidden: it is shown only when at least 5 students are in the module');
    expect(page.html).not.toContain('Cohort median');
    expect(page.html).not.toContain('Cohort middle half');
    const rows = weeklyRows(page);
    expect(rows[0]).toEqual(['Week 1', expect.any(String), '33', '']);
    const chart = JSON.parse(/id="member-own-level-data">([^<]*)<\/script>/.exec(page.html)?.[1] ?? 'null');
    expect(chart.band).toBeNull();
    expect(chart.series[0].values.slice(0, 3)).toEqual([33, 33, 33]);
  });

  it('when a student views their panel, then an audit entry records the view as theirs, by a student', async () => {
    const bob = await memberOf(module, 's2');
    const before = (await listAuditEntries({ learnerMemberId: bob.id, action: 'learner.view' })).length;
    await launch('BIO200', 's2');
    const entries = await listAuditEntries({ learnerMemberId: bob.id, action: 'learner.view' });
    expect(entries).toHaveLength(before + 1);
    expect(entries[0]).toMatchObject({ actorUserId: 's2', actorRole: 'student', moduleId: module.id, learnerMemberId: bob.id, detail: { page: 'student-panel' } });
  });

  // Last: it hands in work for Cleo, which changes the cohort figures the tests above read.
  it('when the gradebook says work was handed in but not when, then the student sees it handed in with the time not recorded', async () => {
    const cleo = await memberOf(module, 's3');
    const essay = (await listAssignments(module.id)).find((a) => a.title === 'Essay on inheritance')!;
    await upsertSubmission({ moduleId: module.id, assignmentId: essay.id, memberId: cleo.id, submitted: true, submittedAt: null, late: null, status: 'graded', origin: 'file' });
    await recomputeModuleAnalysis(module.id);
    const page = await launch('BIO200', 's3');
    expect(page.html).toContain('data-testid="assignments-summary">1 of 1 due so far');
    expect(page.html).toMatch(/<th scope="row">Essay on inheritance<\/th><td[^>]*>[^<]+<\/td><td data-label="Status">Handed in<\/td><td data-label="Handed in">Time not recorded<\/td>/);
  });
});
