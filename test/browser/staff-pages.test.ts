import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { ROLE } from '../support/lti-roles';
import { axeViolations, chartDrawn, describeViolations, LAPTOP, launchChromium, openFromCourse, PHONE, problemsOn, saveScreenshot } from '../support/browser';
import { COURSE, DROPPED, LOW, SILENT, STEADY, startStaffScenario } from '../integration/staff/staff-module-scenario';
import type { EngagementModule } from '../integration/analytics/engagement-module-fixture';
import { createDataReport } from '../../src/store/data-report-repository';
import { recordIntervention } from '../../src/store/intervention-repository';

/**
 * Staff pages in a real Chromium, opened from the course page as Moodle opens them: every page must pass
 * axe-core's WCAG 2.2 AA rules with no violation and run its scripts under the strict CSP without an error.
 */
describe('staff pages in Chromium', () => {
  let fx: EngagementModule;
  let browser: Browser;

  beforeAll(async () => {
    fx = await startStaffScenario();
    // What the dashboard points staff to: a student's report of wrong data and a follow-up whose day has passed.
    const moduleId = (await fx.module()).id;
    const today = DateTime.now().setZone('Europe/London');
    await createDataReport({ moduleId, memberId: await fx.memberId(SILENT.userId), source: 'meeting', text: 'I was at the seminar.' });
    await recordIntervention({
      moduleId,
      memberId: await fx.memberId(LOW.userId),
      method: 'email',
      contactedOn: today.minus({ days: 9 }).toISODate()!,
      note: 'Emailed to check in.',
      outcome: '',
      followUpOn: today.minus({ days: 2 }).toISODate()!,
      recordedByUserId: 't1',
      recordedByName: 'Tess Teacher',
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  async function expectAccessible(target: Page | Frame, page: Page): Promise<void> {
    const violations = await axeViolations(target);
    expect(describeViolations(violations)).toBe('');
    expect(problemsOn(page)).toEqual([]);
  }

  async function withContext<T>(viewport: { width: number; height: number }, run: (context: BrowserContext) => Promise<T>): Promise<T> {
    const context = await browser.newContext({ viewport });
    try {
      return await run(context);
    } finally {
      await context.close();
    }
  }

  const teacher = { courseId: COURSE.id, userId: 't1', roles: [ROLE.instructor] };

  /** The chart script ran: Chart.js sized the canvas and drew on it. */

  it('when a teacher opens Waymark embedded in the course page, then the dashboard, its chart and its table load in the iframe with no accessibility violation', async () => {
    await withContext(LAPTOP, async (context) => {
      const { page, tool } = await openFromCourse(context, fx.reg, { ...teacher, target: 'iframe' }, '/app/module');
      expect(await tool.locator('main h1').textContent()).toBe(COURSE.title);
      expect(await chartDrawn(tool, 'cohort-level')).toBe(true);
      expect(await tool.locator('.learner-table tbody tr').count()).toBe(12);
      expect(await tool.getByTestId('new-data-reports').getByRole('link').textContent()).toBe(SILENT.name);
      expect(await tool.getByTestId('follow-ups-due').getByRole('link').textContent()).toBe(LOW.name);
      await expectAccessible(tool, page);
      await saveScreenshot(page, 'staff-dashboard-in-course-iframe');
    });
  });

  it('when a teacher filters the learner table by alert and sorts it, then only learners with open alerts are listed and the sort is announced', async () => {
    await withContext(LAPTOP, async (context) => {
      const { page } = await openFromCourse(context, fx.reg, { ...teacher, target: 'window' }, '/app/module');
      await expectAccessible(page, page);
      await saveScreenshot(page, 'staff-dashboard-teacher');

      await page.getByLabel('Alerts', { exact: true }).selectOption('any');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL((url) => url.searchParams.get('alert') === 'any');
      const names = await page.locator('.learner-table tbody th a').allTextContents();
      expect(names).toEqual(expect.arrayContaining([SILENT.name, LOW.name]));
      expect(names).not.toContain(STEADY[0]!.name);
      await expect(page.locator('#table-status').textContent()).resolves.toContain('matching the filters');

      await page.locator('.learner-table thead a', { hasText: /^Level/ }).click();
      await page.waitForURL((url) => url.searchParams.get('sort') === 'level');
      expect(await page.locator('.learner-table thead th[aria-sort="ascending"]').count()).toBe(1);
      expect(new URL(page.url()).searchParams.get('alert')).toBe('any');
      await expectAccessible(page, page);
      await saveScreenshot(page, 'staff-dashboard-filtered');
    });
  });

  it('when a teacher opens a learner and records a supportive contact, then the contact appears in the log and the page stays accessible', async () => {
    await withContext(LAPTOP, async (context) => {
      const { page } = await openFromCourse(context, fx.reg, { ...teacher, target: 'window' }, '/app/module');
      await page.locator('.learner-table').getByRole('link', { name: SILENT.name }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/app/learners/'));
      expect(await page.locator('main h1').textContent()).toBe(SILENT.name);
      expect(await chartDrawn(page, 'member-level')).toBe(true);
      expect(await page.locator('.alert-card').count()).toBeGreaterThan(0);
      await expectAccessible(page, page);
      await saveScreenshot(page, 'staff-learner');

      await page.getByLabel('How', { exact: true }).selectOption('phone');
      await page.getByLabel('Note', { exact: true }).fill('Called to check in; Isla has been unwell and is catching up.');
      await page.getByLabel('Outcome').fill('Agreed to meet in office hours next week.');
      await page.getByRole('button', { name: 'Save contact' }).last().click();
      await page.waitForURL((url) => url.searchParams.get('done') === 'contact-recorded');
      await expect(page.locator('.notice--success').textContent()).resolves.toContain('Supportive contact recorded');
      await expect(page.locator('.timeline').textContent()).resolves.toContain('Isla has been unwell');
      await expectAccessible(page, page);
      await saveScreenshot(page, 'staff-learner-contact-recorded');
    });
  });

  it('when a teacher works through the alert queue, then each alert shows its evidence and can be dismissed with a reason', async () => {
    await withContext(LAPTOP, async (context) => {
      const { page } = await openFromCourse(context, fx.reg, { ...teacher, target: 'window' }, '/app/module');
      await page.getByRole('navigation', { name: 'Module pages' }).getByRole('link', { name: 'Alerts' }).click();
      await page.waitForURL((url) => url.pathname === '/app/module/alerts');
      const card = page.locator('.alert-card', { hasText: DROPPED.name }).first();
      await expect(card.locator('.alert-card__evidence').textContent()).resolves.toMatch(/\d/);
      await expectAccessible(page, page);
      await saveScreenshot(page, 'staff-alerts');

      await card.locator('summary', { hasText: 'Dismiss' }).click();
      await card.getByLabel('Why no contact is needed').fill('Keira told us she is on a placement week.');
      await card.getByRole('button', { name: 'Dismiss' }).click();
      await page.waitForURL((url) => url.searchParams.get('done') === 'alert-dismissed');
      await page.getByRole('link', { name: /^Closed/ }).click();
      await expect(page.locator('.alert-card', { hasText: 'Keira told us she is on a placement week.' }).count()).resolves.toBeGreaterThan(0);
      await expectAccessible(page, page);
      await saveScreenshot(page, 'staff-alerts-closed');
    });
  });

  it('when a teacher opens the module settings, then the form is accessible', async () => {
    await withContext(LAPTOP, async (context) => {
      const { page } = await openFromCourse(context, fx.reg, { ...teacher, target: 'window' }, '/app/module');
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.waitForURL((url) => url.pathname === '/app/module/settings');
      await expectAccessible(page, page);
      await saveScreenshot(page, 'staff-settings');
    });
  });

  it('when a teacher uses a phone, then the dashboard and a learner page fit and stay accessible, with a visible keyboard focus', async () => {
    await withContext(PHONE, async (context) => {
      const { page } = await openFromCourse(context, fx.reg, { ...teacher, target: 'window' }, '/app/module');
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return { text: el.textContent, outline: style.outlineStyle, width: style.outlineWidth };
      });
      expect(focus.text).toBe('Skip to content');
      expect(focus.outline).not.toBe('none');
      await expectAccessible(page, page);
      await saveScreenshot(page, 'staff-dashboard-phone');
      await page.locator('.learner-table').getByRole('link', { name: LOW.name }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/app/learners/'));
      await expectAccessible(page, page);
      await saveScreenshot(page, 'staff-learner-phone');
    });
  });

  it('when a mentor opens Waymark, then the dashboard lists only their mentees and stays accessible', async () => {
    await withContext(LAPTOP, async (context) => {
      const { page } = await openFromCourse(context, fx.reg, { courseId: COURSE.id, userId: 'm1', roles: [ROLE.mentor], mentorScope: [SILENT.userId, LOW.userId], target: 'window' }, '/app/module');
      const names = await page.locator('.learner-table tbody th a').allTextContents();
      expect(names.sort()).toEqual([SILENT.name, LOW.name].sort());
      expect(await page.content()).not.toContain(STEADY[0]!.name);
      await expectAccessible(page, page);
      await saveScreenshot(page, 'staff-dashboard-mentor');
    });
  });
});
