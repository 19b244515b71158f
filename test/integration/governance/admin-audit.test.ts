import { parse } from 'csv-parse/sync';
import { TestBrowser, type BrowserPage } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { appendAuditEntry, listAuditEntries } from '../../../src/store/audit-repository';
import type { Module } from '../../../src/store/types';
import { memberOf, moduleOf } from '../student/engagement-seed';
import { appUrl } from '../../support/app-url';

const ltikOf = (page: BrowserPage) => new URL(page.url).searchParams.get('ltik') ?? '';

/** The audit table's rows as [when, module, who, role, learner, action, details]. */
function auditRows(page: BrowserPage): string[][] {
  const body = /<table[^>]*data-testid="audit-table">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(page.html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((row) => [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => (c[1] ?? '').trim()))
    .filter((cells) => cells.length === 7);
}

describe('audit log browsing for administrators', () => {
  let tool: RunningTool;
  let one: Registration;
  let two: Registration;
  let alpha: Module;
  let beta: Module;
  const admin = new TestBrowser();
  let adminLtik: string;

  const launch = (reg: Registration, courseId: string, userId: string, roles: string[], browser = new TestBrowser()) =>
    browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId, userId, roles });
  const url = (path: string, ltik: string, query: Record<string, string> = {}) => appUrl(tool.baseUrl, path, ltik, query);

  beforeAll(async () => {
    tool = await startTestTool();
    one = await registerManually(tool);
    two = await registerManually(tool);
    one.platform.addCourse({ id: 'ALPHA', title: 'Alpha Studies' });
    one.platform.addCourse({ id: 'BETA', title: 'Beta Studies' });
    for (const course of ['ALPHA', 'BETA']) one.platform.addMember(course, { userId: 't1', name: 'Tara Teacher', roles: ['Instructor'] });
    one.platform.addMember('ALPHA', { userId: 's1', name: 'Sol Student', roles: ['Learner'] });
    one.platform.addMember('ALPHA', { userId: 's2', name: 'Sam Student', roles: ['Learner'] });
    one.platform.addMember('BETA', { userId: 's1', name: 'Sol Student', roles: ['Learner'] });
    two.platform.addCourse({ id: 'ALPHA', title: 'Alpha on the other site' });
    two.platform.addMember('ALPHA', { userId: 's9', name: 'Other Site Student', roles: ['Learner'] });
    await launch(one, 'ALPHA', 't1', [ROLE.instructor]);
    await launch(one, 'BETA', 't1', [ROLE.instructor]);
    // Students' own views are audited: these are the entries to browse.
    await launch(one, 'ALPHA', 's1', [ROLE.learner]);
    await launch(one, 'ALPHA', 's2', [ROLE.learner]);
    await launch(one, 'BETA', 's1', [ROLE.learner]);
    await launch(two, 'ALPHA', 's9', [ROLE.learner]);
    alpha = await moduleOf(tool, one, 'ALPHA');
    beta = await moduleOf(tool, one, 'BETA');
    // An entry whose actor id would run as a spreadsheet formula if exported carelessly.
    await appendAuditEntry({ at: new Date(), platformId: alpha.platformId, moduleId: alpha.id, actorUserId: '=HYPERLINK("http://evil.example")', actorRole: 'staff', learnerMemberId: (await memberOf(alpha, 's2')).id, action: 'learner.export', detail: { format: 'csv' } });
    adminLtik = ltikOf(await launch(one, 'ALPHA', 'a1', [ROLE.institutionAdmin], admin));
  });

  afterAll(async () => {
    await one.platform.close();
    await two.platform.close();
    await tool.close();
  });

  it('when someone without the administrator role opens the audit log or its CSV, then it is refused', async () => {
    const cases: Array<[Registration, string, string, string[]]> = [
      [one, 'ALPHA', 't1', [ROLE.instructor]],
      [one, 'ALPHA', 's1', [ROLE.learner]],
      [one, 'ALPHA', 'd1', [ROLE.contentDeveloper]],
    ];
    for (const [reg, course, user, roles] of cases) {
      const browser = new TestBrowser();
      const ltik = ltikOf(await launch(reg, course, user, roles, browser));
      for (const path of ['/app/admin/audit', '/app/admin/audit.csv']) {
        const page = await browser.get(url(path, ltik));
        expect({ user, path, status: page.status }).toEqual({ user, path, status: 403 });
        expect(page.html).not.toContain('learner.view');
      }
    }
  });

  it('when an administrator opens the audit log, then it lists this site’s entries, learners by Moodle user id, and never another site’s', async () => {
    const page = await admin.get(url('/app/admin/audit', adminLtik));
    expect(page.status).toBe(200);
    const rows = auditRows(page);
    const views = rows.filter((r) => r[5] === 'learner.view');
    expect(new Set(views.map((r) => `${r[1]}|${r[2]}|${r[3]}|${r[4]}`))).toEqual(new Set(['Alpha Studies|s1|student|s1', 'Alpha Studies|s2|student|s2', 'Beta Studies|s1|student|s1']));
    // The page's text, without its tags: the launch token in its links is random and may hold any two letters.
    const text = page.html.replace(/<[^>]*>/g, ' ');
    expect(rows.flat()).not.toContain('s9');
    expect(text).not.toMatch(/\bs9\b/);
    expect(text).not.toContain('Alpha on the other site');
    // Names stay out of the log's pages: it is about access, not about the learners.
    expect(text).not.toContain('Sol Student');
  });

  it('when the administrator filters by module, learner or action, then only matching entries are listed', async () => {
    const byModule = auditRows(await admin.get(url('/app/admin/audit', adminLtik, { module: beta.id })));
    expect(byModule.length).toBeGreaterThan(0);
    expect(byModule.every((r) => r[1] === 'Beta Studies')).toBe(true);
    const byLearner = auditRows(await admin.get(url('/app/admin/audit', adminLtik, { learner: 's2' })));
    expect(byLearner.map((r) => r[5]).sort()).toEqual(['learner.export', 'learner.view']);
    const byAction = auditRows(await admin.get(url('/app/admin/audit', adminLtik, { action: 'learner.export' })));
    expect(byAction).toHaveLength(1);
    const both = auditRows(await admin.get(url('/app/admin/audit', adminLtik, { module: alpha.id, learner: 's1', action: 'learner.view' })));
    expect(both.length).toBeGreaterThan(0);
    expect(new Set(both.map((r) => `${r[1]}|${r[4]}|${r[5]}`))).toEqual(new Set(['Alpha Studies|s1|learner.view']));
    const nobody = await admin.get(url('/app/admin/audit', adminLtik, { learner: 's9' }));
    expect(auditRows(nobody)).toHaveLength(0);
    expect(nobody.html).toContain('No one with Moodle user id “s9” is known');
  });

  it('when more entries match than fit a page, then an older-entries link pages through them without repeats', async () => {
    const start = Date.parse('2030-01-01T00:00:00Z');
    // 120 entries, some sharing a timestamp, so the cursor must break ties.
    for (let i = 0; i < 120; i++) {
      await appendAuditEntry({ at: new Date(start + Math.floor(i / 3) * 1000), platformId: alpha.platformId, moduleId: beta.id, actorUserId: `staff-${i}`, actorRole: 'staff', learnerMemberId: null, action: 'paging.check', detail: {} });
    }
    const first = await admin.get(url('/app/admin/audit', adminLtik, { action: 'paging.check' }));
    const firstRows = auditRows(first);
    expect(firstRows).toHaveLength(100);
    const older = /href="([^"]+)" data-testid="audit-older"/.exec(first.html)?.[1]?.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    expect(older).toBeDefined();
    const second = await admin.get(`${tool.baseUrl}${older}`);
    const secondRows = auditRows(second);
    expect(secondRows).toHaveLength(20);
    expect(second.html).not.toContain('data-testid="audit-older"');
    expect(new Set([...firstRows, ...secondRows].map((r) => r[2])).size).toBe(120);
  });

  it('when a filter is not valid, then the page says what to fix', async () => {
    const otherSite = await admin.get(url('/app/admin/audit', adminLtik, { module: '0123456789abcdef01234567' }));
    expect(otherSite.status).toBe(400);
    expect(otherSite.html).toContain('Choose a module from the list');
    const injected = await admin.get(`${url('/app/admin/audit', adminLtik)}&action[$ne]=x`);
    expect(injected.status).toBe(400);
  });

  it('when the administrator exports the CSV, then it holds exactly the filtered entries with formulas neutralised, and the export is audited', async () => {
    const cookie = admin.cookies(new URL(tool.baseUrl).host).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(url('/app/admin/audit.csv', adminLtik, { module: alpha.id, learner: 's2' }), { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const rows: string[][] = parse((await res.text()).replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(['when (UTC)', 'module', 'who (Moodle user id)', 'role', 'learner (Moodle user id)', 'action', 'details']);
    const body = rows.slice(1);
    expect(body.map((r) => r[5]).sort()).toEqual(['learner.export', 'learner.view']);
    expect(body.every((r) => r[1] === 'Alpha Studies' && r[4] === 's2')).toBe(true);
    expect(body.find((r) => r[5] === 'learner.export')?.[2]).toBe(`'=HYPERLINK("http://evil.example")`);
    const exports = await listAuditEntries({ platformId: alpha.platformId, action: 'audit.export' });
    expect(exports[0]).toMatchObject({ actorUserId: 'a1', actorRole: 'admin', learnerMemberId: null, detail: { module: alpha.id, learnerFilter: true } });
    expect(JSON.stringify(exports[0])).not.toContain('s2');
  });
});
