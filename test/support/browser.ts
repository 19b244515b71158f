// Real Chromium for browser tests: launches through the test platform's course page, axe-core checks and
// full-page screenshots a person can look at under test-output/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import type { Registration } from './registered-platform';

export const SCREENSHOTS_DIR = path.resolve(__dirname, '../../test-output/screenshots');
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** What WCAG 2.2 AA asks of us, as axe-core tags. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export async function launchChromium(): Promise<Browser> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export const PHONE = { width: 390, height: 844 } as const;
export const LAPTOP = { width: 1366, height: 900 } as const;

export interface CourseLaunch {
  courseId: string;
  userId: string;
  /** Full role URIs; the platform's roster roles when omitted. */
  roles?: string[];
  mentorScope?: string[];
  target: 'iframe' | 'window';
}

/** The platform's course page that launches Waymark, as Moodle's activity link does. */
export function coursePageUrl(reg: Registration, launch: CourseLaunch): string {
  const url = new URL(`${reg.platform.issuer}/course/${encodeURIComponent(launch.courseId)}/launch`);
  url.searchParams.set('clientId', reg.clientId);
  url.searchParams.set('userId', launch.userId);
  url.searchParams.set('target', launch.target);
  if (launch.roles) url.searchParams.set('roles', launch.roles.join(','));
  if (launch.mentorScope) url.searchParams.set('mentorScope', launch.mentorScope.join(','));
  return url.toString();
}

/** Opens Waymark from the course page and waits for the given Waymark path: the top-level page, or the tool's frame. */
export async function openFromCourse(context: BrowserContext, reg: Registration, launch: CourseLaunch, expectPath: string): Promise<{ page: Page; tool: Page | Frame }> {
  const page = await context.newPage();
  const problems = watchForPageProblems(page);
  await page.goto(coursePageUrl(reg, launch));
  let tool: Page | Frame = page;
  if (launch.target === 'iframe') {
    const handle = await page.locator('#tool-frame').elementHandle({ timeout: 30_000 });
    const frame = await handle?.contentFrame();
    if (!frame) throw new Error('The course page has no tool frame');
    tool = frame;
  }
  await tool.waitForURL((url) => url.pathname === expectPath, { timeout: 30_000 });
  await tool.locator('main h1').first().waitFor({ timeout: 30_000 });
  if (problems.length > 0) throw new Error(`The launch page reported problems: ${problems.join('; ')}`);
  return { page, tool };
}

const pageProblems = new WeakMap<Page, string[]>();

/** Console errors and CSP refusals on a page (a chart script blocked by the CSP shows up here). */
export function watchForPageProblems(page: Page): string[] {
  const problems = pageProblems.get(page) ?? [];
  pageProblems.set(page, problems);
  page.on('console', (message) => {
    // A failed load is reported by the response listener, with its address.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    // Chromium asks every site for a favicon; Waymark has none and needs none.
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.status()} ${response.url()}`);
  });
  return problems;
}

export function problemsOn(page: Page): string[] {
  return pageProblems.get(page) ?? [];
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core's WCAG 2.2 AA rules on the page or frame and returns its violations. axe's source is evaluated
 * through the DevTools protocol: an inline <script> (page.addScriptTag({content})) would be refused by our strict
 * CSP and show up as a console error, and turning the CSP off (bypassCSP) would hide real CSP problems.
 */
export async function axeViolations(target: Page | Frame): Promise<AxeViolation[]> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await target.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await target.evaluate(axeSource);
  const results = await target.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }> } }).axe;
    const run = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return run.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`) }));
  }, AXE_TAGS);
  return results;
}

/** A readable list for a failing expectation. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 5).join('\n  ')}`).join('\n');
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Whether chart.js painted anything on the chart's canvas (`#<id>-canvas`): any pixel that is not transparent. */
export async function chartDrawn(target: Page | Frame, id: string): Promise<boolean> {
  const canvas = target.locator(`#${id}-canvas`);
  await canvas.waitFor();
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0) return false;
    const pixels = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] as number) > 0) return true;
    return false;
  });
}
