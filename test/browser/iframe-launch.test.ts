import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { startTestTool, type RunningTool } from '../support/test-tool';
import { registerManually, type Registration } from '../support/registered-platform';

const SCREENSHOTS = path.resolve(__dirname, '../../test-output/screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * A real Chromium: the platform's course page on 127.0.0.1 embeds Waymark from localhost, so the tool is a
 * cross-site frame and its cookies (SameSite=None; Secure; Partitioned) must work there.
 */
describe('launching Waymark from a course page in Chromium', () => {
  let tool: RunningTool;
  let reg: Registration;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    tool = await startTestTool();
    reg = await registerManually(tool);
    reg.platform.addCourse({ id: 'CHM150', title: 'Organic Chemistry', label: 'CHM150' });
    reg.platform.addMember('CHM150', { userId: 't1', name: 'Theo Teacher', roles: ['Instructor'] });
    reg.platform.addMember('CHM150', { userId: 's1', name: 'Selma Student', roles: ['Learner'] });
    reg.platform.addMember('CHM150', { userId: 's2', name: 'Sven Student', roles: ['Learner'] });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await reg?.platform.close();
    await tool?.close();
  });

  const coursePageUrl = (target: 'iframe' | 'window') =>
    `${reg.platform.issuer}/course/CHM150/launch?clientId=${encodeURIComponent(reg.clientId)}&userId=t1&target=${target}`;

  /** Waits until the frame (or page) shows Waymark's module page, and returns its main heading. */
  async function moduleHeading(frame: Frame | Page): Promise<string> {
    await frame.waitForURL((url) => url.pathname === '/app/module', { timeout: 30_000 });
    // The dashboard's learner table (its caption is for screen readers, so wait on the table itself).
    await frame.locator('main table').first().waitFor({ timeout: 30_000 });
    return (await frame.locator('main h1').first().textContent())?.trim() ?? '';
  }

  it('when a teacher opens Waymark embedded in the course page, then the module page loads inside the cross-site iframe', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(coursePageUrl('iframe'));
      await page.locator('#tool-frame').waitFor();
      const frameHandle = await page.locator('#tool-frame').elementHandle();
      const frame = await frameHandle!.contentFrame();
      expect(frame).not.toBeNull();

      expect(await moduleHeading(frame!)).toBe('Organic Chemistry');
      expect(new URL(frame!.url()).host).toBe(new URL(tool.baseUrl).host);
      // The course page itself stays the platform's.
      expect(new URL(page.url()).host).toBe(new URL(reg.platform.issuer).host);
      const rosterText = await frame!.locator('table.learner-table').textContent();
      expect(rosterText).toContain('Selma Student');
      expect(rosterText).toContain('Sven Student');

      // Waymark's session cookie was kept partitioned under the platform's top-level site...
      const toolCookies = (await context.cookies(tool.baseUrl)).filter((c) => c.name.startsWith('lti'));
      expect(toolCookies.length).toBeGreaterThan(0);
      for (const c of toolCookies) {
        expect(c.sameSite).toBe('None');
        expect(c.secure).toBe(true);
        expect(c.partitionKey).toBe(`http://${new URL(reg.platform.issuer).hostname}`);
      }
      // ...which is why it works: this browser refuses an unpartitioned cookie in the same cross-site frame.
      const kept = await frame!.evaluate(() => {
        document.cookie = 'probeUnpartitioned=1; SameSite=None; Secure; Path=/';
        document.cookie = 'probePartitioned=1; SameSite=None; Secure; Partitioned; Path=/';
        return document.cookie;
      });
      expect(kept).toContain('probePartitioned=1');
      expect(kept).not.toContain('probeUnpartitioned=1');

      await page.screenshot({ path: path.join(SCREENSHOTS, 'iframe-launch-teacher.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('when a teacher opens Waymark in a new window from the course, then the module page loads top-level', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(coursePageUrl('window'));
      expect(await moduleHeading(page)).toBe('Organic Chemistry');
      expect(new URL(page.url()).host).toBe(new URL(tool.baseUrl).host);
      expect(await page.locator('table.learner-table').textContent()).toContain('Selma Student');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'window-launch-teacher.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
