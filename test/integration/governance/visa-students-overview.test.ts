import { DateTime } from 'luxon';
import { TestBrowser, type BrowserPage } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { appUrl } from '../../support/app-url';
import { recomputeModuleAnalysis } from '../../../src/reports/module-analysis-service';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { setMemberNotLearner, setMemberSponsoredVisa } from '../../../src/store/member-flags-repository';
import { setVisaComplianceStaff } from '../../../src/store/platform-repository';
import type { Module } from '../../../src/store/types';
import { decode } from '../staff/staff-html';
import { activeDays, memberOf, moduleOf, seedVleDays, startTeachingPeriod } from '../student/engagement-seed';

// A named visa-compliance officer sees the sponsored-visa learners of every module of their own Moodle site, and
// only theirs, whatever their role in the course they opened Waymark from.

const WEEKS_DONE = 4;
const ltikOf = (page: BrowserPage) => new URL(page.url).searchParams.get('ltik') ?? '';

/** The overview's rows as [learner, Moodle user id, module, last activity, level, alerts], in the order shown. */
function listedRows(html: string): string[][] {
  const body = /data-testid="visa-students"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  const text = (cell: string) => decode(cell.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1] ?? '')));
}

describe('the sponsored-visa students overview', () => {
  let tool: RunningTool;
  let home: Registration;
  let other: Registration;
  const modules: Record<string, Module> = {};

  const launch = (reg: Registration, courseId: string, userId: string, role: string, browser = new TestBrowser()) =>
    browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId, userId, roles: [role] });
  const overview = (browser: TestBrowser, ltik: string, query: Record<string, string> = {}) => browser.get(appUrl(tool.baseUrl, '/app/visa', ltik, query));

  /** A module with a teaching period four weeks in, its learners launched, and the given ones marked sponsored-visa. */
  async function moduleWithLearners(reg: Registration, course: { id: string; title: string }, learners: Array<{ userId: string; name: string; visa: boolean; activeUntilYesterday: boolean }>) {
    reg.platform.addCourse(course);
    for (const l of learners) {
      reg.platform.addMember(course.id, { userId: l.userId, name: l.name, roles: ['Learner'] });
      await launch(reg, course.id, l.userId, ROLE.learner);
    }
    const module = await moduleOf(tool, reg, course.id);
    const start = await startTeachingPeriod(module, WEEKS_DONE);
    const yesterday = DateTime.now().setZone('Europe/London').minus({ days: 1 }).toISODate()!;
    for (const l of learners) {
      const member = await memberOf(module, l.userId);
      // Active every day until yesterday (no alert), or only in the first week (a visa alert for a flagged learner).
      const days = l.activeUntilYesterday ? activeDays(start, 60, 7).filter((d) => d <= yesterday) : activeDays(start, 1, 3);
      await seedVleDays(module, member, days);
      if (l.visa) await setMemberSponsoredVisa(module.id, member.id, true);
    }
    modules[course.id] = module;
    return module;
  }

  beforeAll(async () => {
    tool = await startTestTool();
    home = await registerManually(tool);
    other = await registerManually(tool);
    const accounting = await moduleWithLearners(home, { id: 'ACC1', title: 'Accounting' }, [
      { userId: 'sa', name: 'Amal Active', visa: true, activeUntilYesterday: true },
      { userId: 'sn', name: 'Nour Notlearner', visa: true, activeUntilYesterday: true },
      { userId: 'so', name: 'Olly Ordinary', visa: false, activeUntilYesterday: false },
    ]);
    await setMemberNotLearner(accounting.id, (await memberOf(accounting, 'sn')).id, true);
    await moduleWithLearners(home, { id: 'BIO1', title: 'Biology' }, [{ userId: 'sb', name: 'Bea Silent', visa: true, activeUntilYesterday: false }]);
    await moduleWithLearners(other, { id: 'CHE1', title: 'Chemistry' }, [{ userId: 'sc', name: 'Cai Elsewhere', visa: true, activeUntilYesterday: false }]);
    for (const module of Object.values(modules)) await recomputeModuleAnalysis(module.id, new Date());
    // The same Moodle user id named on both sites: each site's page still shows only its own modules.
    await setVisaComplianceStaff(accounting.platformId, 'v1', true);
    await setVisaComplianceStaff(modules.CHE1!.platformId, 'v1', true);
    home.platform.addMember('ACC1', { userId: 'v1', name: 'Vera Visa', roles: ['Learner'] });
    home.platform.addMember('ACC1', { userId: 't1', name: 'Tom Teacher', roles: ['Instructor'] });
    other.platform.addMember('CHE1', { userId: 'v1', name: 'Vera Visa', roles: ['Instructor'] });
  });

  afterAll(async () => {
    await home.platform.close();
    await other.platform.close();
    await tool.close();
  });

  it('when a named officer who is only a learner in the launch course opens it, then they see the flagged learners of every module of their site, those with a live visa alert first, and the view of each is audited', async () => {
    const officer = new TestBrowser();
    const ltik = ltikOf(await launch(home, 'ACC1', 'v1', ROLE.learner, officer));

    const page = await overview(officer, ltik, { module: modules.CHE1!.id });
    expect(page.status).toBe(200);
    const rows = listedRows(page.html);
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['Bea Silent', 'sb', 'Biology'],
      ['Amal Active', 'sa', 'Accounting'],
    ]);
    const [silent, active] = rows;
    expect(silent![5]).toMatch(/^Sponsored visa \(no engagement for more than 7 teaching days\) since \w{3} \d{1,2} \w{3} \d{4} · Open$/);
    expect(silent![3]).toMatch(/\d{4}$/);
    expect(active![5]).toBe('None');
    expect(active![3]).toMatch(/\d{4}$/);
    expect(active![4]).toMatch(/^\d+%$/);
    expect(decode(page.html)).not.toContain('Cai Elsewhere');

    const audited = await listAuditEntries({ action: 'visa-students.view' });
    // One entry per learner shown, in their module, so each one's own record of who looked at their data has it.
    expect(audited.map((e) => [e.moduleId, e.platformId, e.actorUserId, e.actorRole, e.learnerMemberId]).sort()).toEqual(
      [
        [modules.ACC1!.id, modules.ACC1!.platformId, 'v1', 'visa-compliance', (await memberOf(modules.ACC1!, 'sa')).id],
        [modules.BIO1!.id, modules.BIO1!.platformId, 'v1', 'visa-compliance', (await memberOf(modules.BIO1!, 'sb')).id],
      ].sort(),
    );
  });

  it('when the officer opens a module as staff, then its pages link to the overview; a teacher not named sees no link and is refused the page', async () => {
    const officer = new TestBrowser();
    const officerDashboard = await launch(home, 'ACC1', 'v1', ROLE.instructor, officer);
    expect(officerDashboard.html).toContain('data-testid="nav-visa"');
    expect((await overview(officer, ltikOf(officerDashboard))).html).toContain('aria-current="page" data-testid="nav-visa"');

    const teacher = new TestBrowser();
    const teacherDashboard = await launch(home, 'ACC1', 't1', ROLE.instructor, teacher);
    expect(teacherDashboard.status).toBe(200);
    expect(teacherDashboard.html).not.toContain('/app/visa');
    const refused = await overview(teacher, ltikOf(teacherDashboard));
    expect(refused.status).toBe(403);
    expect(decode(refused.html)).not.toContain('Bea Silent');
  });

  it('when an officer of the other site opens it, then they see only that site’s flagged learners', async () => {
    const officer = new TestBrowser();
    const ltik = ltikOf(await launch(other, 'CHE1', 'v1', ROLE.instructor, officer));
    const rows = listedRows((await overview(officer, ltik)).html);
    expect(rows.map((r) => r.slice(0, 3))).toEqual([['Cai Elsewhere', 'sc', 'Chemistry']]);
  });
});
