import fs from 'node:fs';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { TestBrowser } from '../platform';
import { ROLE } from '../support/lti-roles';
import { startTestTool, type RunningTool } from '../support/test-tool';
import { registerManually, type Registration } from '../support/registered-platform';
import { axeViolations, chartDrawn, describeViolations, LAPTOP, launchChromium, openFromCourse, PHONE, problemsOn, saveScreenshot } from '../support/browser';
import { recomputeModuleAnalysis } from '../../src/reports/module-analysis-service';
import { upsertAssignment, upsertSubmission } from '../../src/store/assignment-repository';
import { listDataReports } from '../../src/store/data-report-repository';
import { setMemberSponsoredVisa } from '../../src/store/member-flags-repository';
import { activeDays, addDays, memberOf, moduleOf, seedVleDays, startTeachingPeriod } from '../integration/student/engagement-seed';
import { readPdf } from '../integration/governance/pdf-text';
import type { Module } from '../../src/store/types';

const COURSE = { id: 'PSY110', title: 'Introduction to Psychology' };
const STUDENTS = [
  { userId: 's1', name: 'Selma Student', days: 3 },
  { userId: 's2', name: 'Sven Other', days: 1 },
  { userId: 's3', name: 'Tove Third', days: 2 },
  { userId: 's4', name: 'Ulla Fourth', days: 2 },
  { userId: 's5', name: 'Vera Fifth', days: 0 },
];

/**
 * The student's panel in a real Chromium, opened from the course page as Moodle opens it: chart drawn under the
 * strict CSP, no axe-core WCAG 2.2 AA violation, "download my data" and "report incorrect data" clicked through.
 */
describe('the student panel in Chromium', () => {
  let tool: RunningTool;
  let reg: Registration;
  let module: Module;
  let browser: Browser;

  beforeAll(async () => {
    tool = await startTestTool();
    reg = await registerManually(tool);
    reg.platform.addCourse({ id: COURSE.id, title: COURSE.title, label: COURSE.id });
    reg.platform.addMember(COURSE.id, { userId: 't1', name: 'Theo Teacher', roles: ['Instructor'] });
    for (const s of STUDENTS) reg.platform.addMember(COURSE.id, { userId: s.userId, name: s.name, roles: ['Learner'] });
    await new TestBrowser().launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: COURSE.id, userId: 't1', roles: [ROLE.instructor] });
    module = await moduleOf(tool, reg, COURSE.id);
    const start = await startTeachingPeriod(module, 4, {
      expectationsText: 'Open the module on Moodle at least three days a week and hand work in on time.',
      contactText: 'your personal tutor, or the module team at psy110@example.ac.uk',
    });
    for (const s of STUDENTS) await seedVleDays(module, await memberOf(module, s.userId), activeDays(start, 4, s.days));
    const essay = await upsertAssignment({ moduleId: module.id, key: 'staff:essay', title: 'Lab report 1', dueAt: new Date(`${addDays(start, 11)}T17:00:00Z`), origin: 'staff' });
    await upsertAssignment({ moduleId: module.id, key: 'staff:essay2', title: 'Lab report 2', dueAt: new Date(`${addDays(start, 60)}T17:00:00Z`), origin: 'staff' });
    await upsertSubmission({ moduleId: module.id, assignmentId: essay.id, memberId: (await memberOf(module, 's1')).id, submitted: true, submittedAt: new Date(`${addDays(start, 10)}T12:00:00Z`), late: false, status: 'submitted', origin: 'file' });
    await recomputeModuleAnalysis(module.id);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await reg?.platform.close();
    await tool?.close();
  });

  async function withContext<T>(viewport: { width: number; height: number }, run: (context: BrowserContext) => Promise<T>): Promise<T> {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    try {
      return await run(context);
    } finally {
      await context.close();
    }
  }

  async function expectAccessible(target: Page | Frame, page: Page): Promise<void> {
    expect(describeViolations(await axeViolations(target))).toBe('');
    expect(problemsOn(page)).toEqual([]);
  }

  /** Chart.js sized the canvas and painted on it. */

  const student = { courseId: COURSE.id, userId: 's1', roles: [ROLE.learner] };

  it('when a student opens Waymark embedded in the course page, then their panel, chart and tables load in the iframe with no accessibility violation', async () => {
    await withContext(LAPTOP, async (context) => {
      const { page, tool: frame } = await openFromCourse(context, reg, { ...student, target: 'iframe' }, '/app/me');
      expect(await frame.locator('main h1').textContent()).toBe('Your engagement');
      expect(await chartDrawn(frame, 'member-own-level')).toBe(true);
      const firstWeek = await frame.locator('[data-testid="weekly-table"] tbody tr').first().locator('td').allTextContents();
      expect(firstWeek.slice(1, 4)).toEqual(['100', '33 to 67', '67']);
      const text = await frame.locator('main').textContent();
      for (const other of STUDENTS.slice(1)) expect(text).not.toContain(other.name);
      await expectAccessible(frame, page);
      await saveScreenshot(page, 'student-panel-in-course-iframe');
    });
  });

  it('when a student clicks "Download as PDF", then a readable PDF of their own data is saved', async () => {
    await withContext(LAPTOP, async (context) => {
      const { page } = await openFromCourse(context, reg, { ...student, target: 'window' }, '/app/me');
      await expectAccessible(page, page);
      await saveScreenshot(page, 'student-panel');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as PDF' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^waymark-my-data-PSY110-\d{4}-\d{2}-\d{2}\.pdf$/);
      const pdf = readPdf(fs.readFileSync((await download.path())!));
      expect(pdf.title).toBe('Your engagement data');
      expect(pdf.text).toContain('For: Selma Student');
      expect(pdf.text).toContain('Lab report 1');
      expect(pdf.text).not.toContain('Sven Other');
      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as CSV (spreadsheet)' }).click()]);
      expect(fs.readFileSync((await csv.path())!, 'utf8')).toContain('"about you","","","name",,,"","Selma Student"');
    });
  });

  it('when a student reports incorrect data with the form, then they see a confirmation and the report reaches the staff', async () => {
    await withContext(LAPTOP, async (context) => {
      const { page } = await openFromCourse(context, reg, { ...student, target: 'window' }, '/app/me');
      const text = 'I attended the seminar on Tuesday of week 2 but it is not shown.';
      await page.getByLabel('Which data looks wrong?').selectOption('meeting');
      await page.getByLabel('What is wrong?').fill(text);
      await page.getByRole('button', { name: 'Send report' }).click();
      await page.waitForURL((url) => url.searchParams.get('reported') === '1');
      await expect(page.getByTestId('report-confirmation').textContent()).resolves.toContain('Your report has been sent to the module staff');
      await expect(page.getByTestId('own-reports').textContent()).resolves.toContain(text);
      const stored = await listDataReports(module.id, (await memberOf(module, 's1')).id);
      expect(stored.map((r) => r.text)).toContain(text);
      await expectAccessible(page, page);
      await saveScreenshot(page, 'student-panel-report-sent');
    });
  });

  it('when a student opens the panel on a phone, then it reads in one column with no accessibility violation', async () => {
    await withContext(PHONE, async (context) => {
      const { page } = await openFromCourse(context, reg, { ...student, target: 'window' }, '/app/me');
      expect(await chartDrawn(page, 'member-own-level')).toBe(true);
      await page.getByText('Show the activity behind each week').click();
      await expectAccessible(page, page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await saveScreenshot(page, 'student-panel-phone');
    });
  });

  it('when an administrator answers the student’s subject access request and names visa staff, then the data-rights, audit, visa-staff and sponsored-visa students pages work with no accessibility violation', async () => {
    await withContext(LAPTOP, async (context) => {
      const { page } = await openFromCourse(context, reg, { courseId: COURSE.id, userId: 'a1', roles: [ROLE.institutionAdmin], target: 'window' }, '/app/overview');
      const ltik = new URL(page.url()).searchParams.get('ltik')!;
      await page.goto(`${tool.baseUrl}/app/admin/data-rights?ltik=${encodeURIComponent(ltik)}`);
      await page.getByLabel('Moodle user id').fill('s1');
      await page.getByRole('button', { name: 'Find what Waymark holds' }).click();
      await page.getByTestId('person-modules').waitFor();
      await expect(page.getByTestId('person-modules').textContent()).resolves.toContain(COURSE.title);
      await expectAccessible(page, page);
      await saveScreenshot(page, 'admin-data-rights');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as PDF' }).click()]);
      const pdf = readPdf(fs.readFileSync((await download.path())!));
      expect(pdf.title).toBe('Subject access export');
      expect(pdf.text).toContain('Selma Student');

      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByTestId('audit-table').waitFor();
      await page.getByLabel('Learner (Moodle user id)').fill('s1');
      await page.getByRole('button', { name: 'Show entries' }).click();
      await page.waitForURL((url) => url.searchParams.get('learner') === 's1');
      const actions = await page.locator('[data-testid="audit-table"] tbody tr td:nth-child(6)').allTextContents();
      expect(actions).toEqual(expect.arrayContaining(['learner.view', 'learner.export', 'data-report.create', 'person.export']));
      await expectAccessible(page, page);
      await saveScreenshot(page, 'admin-audit-log');

      await page.getByRole('link', { name: 'Visa-compliance staff' }).click();
      await page.getByLabel('Moodle user id').fill('t1');
      await page.getByRole('button', { name: 'Name as visa-compliance staff' }).click();
      await page.getByTestId('visa-staff').waitFor();
      await expect(page.getByTestId('visa-staff-outcome').textContent()).resolves.toContain('Moodle user t1 is now named as visa-compliance staff.');
      await expectAccessible(page, page);
      await saveScreenshot(page, 'admin-visa-staff');
    });

    // Theo, named just now, finds the site-wide overview from his module's navigation; Vera has a live visa alert.
    await setMemberSponsoredVisa(module.id, (await memberOf(module, 's5')).id, true);
    await recomputeModuleAnalysis(module.id);
    await withContext(LAPTOP, async (context) => {
      const { page } = await openFromCourse(context, reg, { courseId: COURSE.id, userId: 't1', roles: [ROLE.instructor], target: 'window' }, '/app/module');
      await page.getByRole('link', { name: 'Sponsored-visa students' }).click();
      await page.getByTestId('visa-students').waitFor();
      await expect(page.getByTestId('visa-students').textContent()).resolves.toContain('Vera Fifth');
      await expectAccessible(page, page);
      await saveScreenshot(page, 'visa-students');
    });
  });
});
