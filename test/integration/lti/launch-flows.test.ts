import { TestBrowser } from '../../platform';
import { decodeEntities } from '../../platform/html-form-parser';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { listPlatformProfiles } from '../../../src/store/platform-repository';
import { MemberModel } from '../../../src/store/models/member-model';

describe('LTI launch flows', () => {
  let tool: RunningTool;
  let reg: Registration;

  beforeAll(async () => {
    tool = await startTestTool();
    reg = await registerManually(tool, { nrpsPageSize: 2 });
    reg.platform.addCourse({ id: 'BIO101', title: 'Cell Biology', label: 'BIO101' });
    reg.platform.addMember('BIO101', { userId: 't1', name: 'Tess Teacher', email: 'tess@example.ac.uk', roles: ['Instructor'] });
    // Moodle's roster shows a non-editing teacher as Learner.
    reg.platform.addMember('BIO101', { userId: 'ta1', name: 'Nia Nonediting', roles: ['Learner'] });
    for (let i = 1; i <= 5; i++) {
      reg.platform.addMember('BIO101', { userId: `s${i}`, name: `Student ${i}`, givenName: 'Student', familyName: `${i}`, email: `s${i}@example.ac.uk`, roles: ['Learner'] });
    }
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  const launch = (userId: string, roles: string[], extra: Record<string, unknown> = {}) =>
    new TestBrowser().launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: 'BIO101', userId, roles, ...extra });

  it('when a teacher launches, then they land on the module page with the NRPS roster fetched over every page', async () => {
    const page = await launch('t1', [ROLE.instructor]);
    expect(page.status).toBe(200);
    expect(new URL(page.url).pathname).toBe('/app/module');
    expect(page.html).toContain('Cell Biology');
    for (let i = 1; i <= 5; i++) expect(page.html).toContain(`Student ${i}`);
    // 7 members at 2 per page: the roster came over 4 pages.
    const nrpsCalls = reg.platform.requestLog().filter((r) => r.path.includes('/memberships'));
    expect(nrpsCalls.length).toBeGreaterThanOrEqual(4);
    expect(await MemberModel.countDocuments({})).toBe(7);
  });

  it('when a non-editing teacher launches as Instructor, then they are staff although the roster says Learner', async () => {
    const page = await launch('ta1', [ROLE.instructor]);
    expect(new URL(page.url).pathname).toBe('/app/module');
    const teacherPage = await launch('t1', [ROLE.instructor]);
    // Listed with staff, outside the learner table and its figures.
    const row = /<tr data-member-id="[^"]+"><th scope="row">Nia Nonediting<\/th><td>(\w+)<\/td>/.exec(teacherPage.html);
    expect(row?.[1]).toBe('Staff');
    const learnerTable = /<table class="data-table learner-table">([\s\S]*?)<\/table>/.exec(teacherPage.html)?.[1] ?? '';
    expect(learnerTable).toContain('Student 1');
    expect(learnerTable).not.toContain('Nia Nonediting');
  });

  it('when a student launches, then they land on their own panel listing their launches', async () => {
    const first = await launch('s1', [ROLE.learner]);
    expect(new URL(first.url).pathname).toBe('/app/me');
    const second = await launch('s1', [ROLE.learner]);
    expect(second.html).toContain('Your engagement');
    const launches = /<ul class="plain-list" data-testid="own-launches">([\s\S]*?)<\/ul>/.exec(second.html)?.[1] ?? '';
    expect((launches.match(/<li>/g) ?? []).length).toBe(2);
  });

  it('when a mentor launches with role_scope_mentor, then the page lists only their mentees', async () => {
    const page = await launch('m1', [ROLE.mentor], { mentorScope: ['s2', 's3'] });
    expect(new URL(page.url).pathname).toBe('/app/module');
    expect(page.html).toContain('Student 2');
    expect(page.html).toContain('Student 3');
    expect(page.html).not.toContain('Student 1');
    expect(page.html).not.toContain('Tess Teacher');
  });

  it('when someone with no role Waymark knows launches, then they get a page saying there is nothing for them', async () => {
    const page = await launch('g1', [ROLE.guest]);
    expect(page.status).toBe(403);
    expect(page.html).toContain('Waymark has nothing for you here');
  });

  it('when a site admin who is not teaching launches, then they land on the overview without individual data, with links to the audit log and data rights', async () => {
    const browser = new TestBrowser();
    const page = await browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: 'BIO101', userId: 'admin1', roles: [ROLE.institutionAdmin, ROLE.systemAdmin] });
    expect(new URL(page.url).pathname).toBe('/app/overview');
    expect(page.html).not.toContain('Student 1');
    const linkOf = (testId: string) => /href="([^"]+)"/.exec(new RegExp(`<a [^>]*data-testid="${testId}"[^>]*>`).exec(page.html)?.[0] ?? '')?.[1];
    for (const [testId, heading] of [['overview-audit', 'Audit log'], ['overview-data-rights', 'Data rights']] as const) {
      const href = linkOf(testId);
      expect(href).toBeDefined();
      const opened = await browser.get(new URL(decodeEntities(href!), tool.baseUrl).toString());
      expect(opened.status).toBe(200);
      expect(opened.html).toContain(heading);
    }
  });

  it('when the roster is fetched, then Waymark never asks for or uses the score scope', async () => {
    expect(reg.platform.scoreWriteAttempts()).toBe(0);
    const profiles = await listPlatformProfiles();
    expect(profiles.map((p) => p.issuer)).toContain(reg.platform.issuer);
  });

  it('when a launch page is served, then only the registered platform may frame it and cookies are partitioned', async () => {
    const browser = new TestBrowser();
    const page = await browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: 'BIO101', userId: 't1', roles: [ROLE.instructor] });
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors 'self' ${new URL(reg.platform.issuer).origin}`);
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const cookies = browser.cookies(new URL(tool.baseUrl).host);
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) {
      expect(c.partitioned).toBe(true);
      expect(c.secure).toBe(true);
      expect(c.sameSite?.toLowerCase()).toBe('none');
    }
  });
});
