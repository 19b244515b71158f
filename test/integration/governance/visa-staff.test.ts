import { TestBrowser, type BrowserPage } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { appUrl } from '../../support/app-url';
import { readLtik } from '../../../src/lti/ltik';
import { csrfTokenFor } from '../../../src/web/csrf';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { findPlatformProfile } from '../../../src/store/platform-repository';
import { memberOf, moduleOf } from '../student/engagement-seed';

// An administrator names the site's visa-compliance staff on a page; only those named see sponsored-visa status.

const ltikOf = (page: BrowserPage) => new URL(page.url).searchParams.get('ltik') ?? '';
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('naming visa-compliance staff', () => {
  let tool: RunningTool;
  let reg: Registration;
  const admin = new TestBrowser();
  let adminLtik: string;

  const launch = (userId: string, roles: string[], browser = new TestBrowser()) =>
    browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: 'VISA1', userId, roles });
  const url = (path: string, ltik: string) => appUrl(tool.baseUrl, path, ltik);
  const visaPage = () => admin.get(url('/app/admin/visa-staff', adminLtik));
  const send = async (path: string, user: string) => admin.post(url(path, adminLtik), { _csrf: csrfOf((await visaPage()).html), user });

  /** Who the site's profile names as visa-compliance staff now. */
  const namedStaff = async () => (await findPlatformProfile((await moduleOf(tool, reg, 'VISA1')).platformId))?.visaComplianceUserIds;

  /** What Vera, an officer of the visa team who also opens the module as staff, sees on a learner's page. */
  async function veraSeesVisaStatus(): Promise<boolean> {
    const vera = new TestBrowser();
    const ltik = ltikOf(await launch('v1', [ROLE.instructor], vera));
    const module = await moduleOf(tool, reg, 'VISA1');
    const learner = await memberOf(module, 's1');
    const page = await vera.get(url(`/app/learners/${learner.id}`, ltik));
    expect(page.status).toBe(200);
    return textOf(page.html).includes('Sponsored-visa status');
  }

  beforeAll(async () => {
    tool = await startTestTool();
    reg = await registerManually(tool);
    reg.platform.addCourse({ id: 'VISA1', title: 'Visa course' });
    reg.platform.addMember('VISA1', { userId: 'v1', name: 'Vera Visa', roles: ['Instructor'] });
    reg.platform.addMember('VISA1', { userId: 's1', name: 'Sam Student', roles: ['Learner'] });
    await launch('s1', [ROLE.learner]);
    adminLtik = ltikOf(await launch('a1', [ROLE.institutionAdmin], admin));
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  it('when nobody is named, then the page says so and no staff member sees sponsored-visa status', async () => {
    const page = await visaPage();
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-testid="visa-staff-none"');
    expect(await veraSeesVisaStatus()).toBe(false);
  });

  it('when an administrator names someone, then they are listed with their name, see sponsored-visa status, and the naming is audited', async () => {
    const named = await send('/app/admin/visa-staff', ' v1 ');
    expect(named.status).toBe(200);
    expect(textOf(named.html)).toContain('Moodle user v1 is now named as visa-compliance staff.');
    expect(textOf(named.html)).toMatch(/v1 Vera Visa/);
    expect(await veraSeesVisaStatus()).toBe(true);
    expect(await namedStaff()).toEqual(['v1']);
    expect((await listAuditEntries({ action: 'visa-staff.name' })).map((e) => [e.actorUserId, e.detail])).toEqual([['a1', { staffUserId: 'v1' }]]);

    const again = await send('/app/admin/visa-staff', 'v1');
    expect(textOf(again.html)).toContain('Nothing changed: Moodle user v1 was already as you asked.');
    expect(await namedStaff()).toEqual(['v1']);
  });

  it('when an administrator removes someone, then they no longer see sponsored-visa status', async () => {
    const removed = await send('/app/admin/visa-staff/remove', 'v1');
    expect(textOf(removed.html)).toContain('Moodle user v1 is no longer named as visa-compliance staff.');
    expect(removed.html).toContain('data-testid="visa-staff-none"');
    expect(await veraSeesVisaStatus()).toBe(false);
  });

  it('when the form is sent without a user id, then it says what to enter and nothing changes', async () => {
    const empty = await send('/app/admin/visa-staff', '   ');
    expect(empty.status).toBe(400);
    expect(textOf(empty.html)).toContain('Enter the person’s Moodle user id.');
    expect(await namedStaff()).toEqual([]);
  });

  it('when a teacher opens the page or sends the form, then they are refused', async () => {
    const teacher = new TestBrowser();
    const ltik = ltikOf(await launch('v1', [ROLE.instructor], teacher));
    expect((await teacher.get(url('/app/admin/visa-staff', ltik))).status).toBe(403);
    // With the teacher's own valid form token, so it is the role that refuses.
    const page = await teacher.post(url('/app/admin/visa-staff', ltik), { _csrf: csrfTokenFor(readLtik(ltik)!.sessionId, tool.config.ltiKey), user: 'v1' });
    expect(page.status).toBe(403);
    expect(await namedStaff()).toEqual([]);
  });
});
