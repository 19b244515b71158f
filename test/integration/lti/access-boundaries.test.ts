import { TestBrowser, type BrowserPage } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { MemberModel } from '../../../src/store/models/member-model';
import { ModuleModel } from '../../../src/store/models/module-model';
import { EngagementEventModel } from '../../../src/store/models/engagement-event-model';
import { listPlatformProfiles } from '../../../src/store/platform-repository';
import { touchLaunchSession } from '../../../src/store/launch-session-repository';
import { readLtik } from '../../../src/lti/ltik';
import { appUrl } from '../../support/app-url';

const IDLE_MINUTES = 5;

function ltikOf(page: BrowserPage): string {
  const ltik = new URL(page.url).searchParams.get('ltik');
  if (!ltik) throw new Error(`No launch token on ${page.url} (status ${page.status})`);
  return ltik;
}

function heading(page: BrowserPage): string | undefined {
  return /<h1[^>]*>([^<]*)<\/h1>/.exec(page.html)?.[1];
}

function ownLaunchItems(page: BrowserPage): string[] {
  const list = /<ul class="plain-list" data-testid="own-launches">([\s\S]*?)<\/ul>/.exec(page.html)?.[1] ?? '';
  return [...list.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1] ?? '');
}

describe('access boundaries', () => {
  let tool: RunningTool;
  let one: Registration;
  let two: Registration;
  /** Waymark's clock runs ahead of real time by this much; ltijs keeps real time. */
  let clockOffsetMs = 0;

  beforeAll(async () => {
    tool = await startTestTool({ SESSION_IDLE_MINUTES: String(IDLE_MINUTES) }, () => new Date(Date.now() + clockOffsetMs));
    one = await registerManually(tool);
    two = await registerManually(tool);

    one.platform.addCourse({ id: 'MODA', title: 'Module Alpha' });
    one.platform.addMember('MODA', { userId: 't1', name: 'Tara Teacher', roles: ['Instructor'] });
    one.platform.addMember('MODA', { userId: 's1', name: 'Sid Self', roles: ['Learner'] });
    one.platform.addMember('MODA', { userId: 's2', name: 'Mona Mentee', roles: ['Learner'] });
    one.platform.addMember('MODA', { userId: 's3', name: 'Otto Outsider', roles: ['Learner'] });

    one.platform.addCourse({ id: 'MODB', title: 'Module Beta' });
    one.platform.addMember('MODB', { userId: 't1', name: 'Tara Teacher', roles: ['Instructor'] });
    one.platform.addMember('MODB', { userId: 's4', name: 'Bea Betaonly', roles: ['Learner'] });

    // Two Moodle sites that happen to use the same course id.
    one.platform.addCourse({ id: '42', title: 'Shared Id on Site One' });
    one.platform.addMember('42', { userId: 't9', name: 'Ursula Oneteacher', roles: ['Instructor'] });
    one.platform.addMember('42', { userId: 'u1', name: 'Paula Siteone', roles: ['Learner'] });
    two.platform.addCourse({ id: '42', title: 'Shared Id on Site Two' });
    two.platform.addMember('42', { userId: 't9', name: 'Ursula Twoteacher', roles: ['Instructor'] });
    two.platform.addMember('42', { userId: 'u1', name: 'Quentin Sitetwo', roles: ['Learner'] });
  });

  afterAll(async () => {
    await one.platform.close();
    await two.platform.close();
    await tool.close();
  });

  const launch = (reg: Registration, courseId: string, userId: string, roles: string[], extra: { mentorScope?: string[] } = {}, browser = new TestBrowser()) =>
    browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId, userId, roles, ...extra });

  const open = (browser: TestBrowser, path: string, ltik: string, query: Record<string, string> = {}) => browser.get(appUrl(tool.baseUrl, path, ltik, query));

  /** A member's id in Waymark; several sites may share a course id, so the site is part of the key. */
  async function memberId(courseId: string, userId: string, site: Registration = one): Promise<string> {
    const profile = (await listPlatformProfiles()).find((p) => p.issuer === site.platform.issuer && p.clientId === site.clientId);
    const module = await ModuleModel.findOne({ platformId: profile?.platformId, contextId: courseId }).lean();
    const member = module ? await MemberModel.findOne({ moduleId: module._id, userId }).lean() : null;
    if (!member) throw new Error(`No member ${userId} in course ${courseId} of ${site.platform.issuer}`);
    return String(member._id);
  }

  describe('a student', () => {
    let student: TestBrowser;
    let ltik: string;

    beforeAll(async () => {
      // A teacher launch first, so the roster (and the other students) are known to Waymark.
      expect(new URL((await launch(one, 'MODA', 't1', [ROLE.instructor])).url).pathname).toBe('/app/module');
      student = new TestBrowser();
      const page = await launch(one, 'MODA', 's1', [ROLE.learner], {}, student);
      expect(new URL(page.url).pathname).toBe('/app/me');
      ltik = ltikOf(page);
    });

    it('when a student opens the module page, the overview or any learner page (even their own), then each is refused with 403', async () => {
      const targets = ['/app/module', '/app/overview', `/app/learners/${await memberId('MODA', 's2')}`, `/app/learners/${await memberId('MODA', 's1')}`];
      for (const path of targets) {
        const page = await open(student, path, ltik);
        expect({ path, status: page.status }).toEqual({ path, status: 403 });
        expect(heading(page)).toBe('Not available to you');
        expect(page.html).not.toContain('Mona Mentee');
        expect(page.html).not.toContain('Otto Outsider');
      }
    });

    it('when a student adds memberId or userId to their panel URL, then the panel still shows only their own launches', async () => {
      // Mona has launched three times, Sid once: the two panels cannot be confused.
      for (let i = 0; i < 3; i++) await launch(one, 'MODA', 's2', [ROLE.learner]);
      const ownCount = await EngagementEventModel.countDocuments({ memberId: await memberId('MODA', 's1'), source: 'launch' });
      expect(ownCount).toBe(1);

      const plain = await open(student, '/app/me', ltik);
      expect(plain.status).toBe(200);
      expect(ownLaunchItems(plain)).toHaveLength(ownCount);
      const tampered: Array<Record<string, string>> = [
        { memberId: await memberId('MODA', 's2') },
        { userId: 's2' },
        { memberId: await memberId('MODA', 's2'), userId: 's2', user_id: 's2', sub: 's2' },
      ];
      for (const query of tampered) {
        const page = await open(student, '/app/me', ltik, query);
        expect(page.status).toBe(200);
        expect(heading(page)).toBe('Your engagement');
        expect(ownLaunchItems(page)).toEqual(ownLaunchItems(plain));
      }
    });
  });

  describe('a mentor', () => {
    let mentor: TestBrowser;
    let ltik: string;

    beforeAll(async () => {
      mentor = new TestBrowser();
      const page = await launch(one, 'MODA', 'm1', [ROLE.mentor], { mentorScope: ['s2'] }, mentor);
      expect(new URL(page.url).pathname).toBe('/app/module');
      ltik = ltikOf(page);
    });

    it('when a mentor opens a learner who is not their mentee, then it is not found', async () => {
      const page = await open(mentor, `/app/learners/${await memberId('MODA', 's3')}`, ltik);
      expect(page.status).toBe(404);
      expect(heading(page)).toBe('Not found');
      expect(page.html).not.toContain('Otto Outsider');
    });

    it('when a mentor opens their mentee, then the mentee’s page is shown', async () => {
      const page = await open(mentor, `/app/learners/${await memberId('MODA', 's2')}`, ltik);
      expect(page.status).toBe(200);
      expect(heading(page)).toBe('Mona Mentee');
    });
  });

  it('when a teacher of module Alpha launches in module Beta, then they see only Beta and no Alpha learner', async () => {
    const teacher = new TestBrowser();
    const page = await launch(one, 'MODB', 't1', [ROLE.instructor], {}, teacher);
    expect(new URL(page.url).pathname).toBe('/app/module');
    expect(page.html).toContain('Module Beta');
    expect(page.html).toContain('Bea Betaonly');
    for (const alphaOnly of ['Module Alpha', 'Sid Self', 'Mona Mentee', 'Otto Outsider']) expect(page.html).not.toContain(alphaOnly);
    const alphaLearner = await open(teacher, `/app/learners/${await memberId('MODA', 's2')}`, ltikOf(page));
    expect(alphaLearner.status).toBe(404);
    expect(alphaLearner.html).not.toContain('Mona Mentee');
  });

  it('when two platforms use the same context id, then each one’s staff see only their own members', async () => {
    const siteOne = new TestBrowser();
    const pageOne = await launch(one, '42', 't9', [ROLE.instructor], {}, siteOne);
    const siteTwo = new TestBrowser();
    const pageTwo = await launch(two, '42', 't9', [ROLE.instructor], {}, siteTwo);
    expect(new URL(pageOne.url).pathname).toBe('/app/module');
    expect(new URL(pageTwo.url).pathname).toBe('/app/module');
    expect(await ModuleModel.countDocuments({ contextId: '42' })).toBe(2);

    expect(pageOne.html).toContain('Paula Siteone');
    expect(pageOne.html).not.toContain('Quentin Sitetwo');
    expect(pageOne.html).not.toContain('Site Two');
    expect(pageTwo.html).toContain('Quentin Sitetwo');
    expect(pageTwo.html).not.toContain('Paula Siteone');
    expect(pageTwo.html).not.toContain('Site One');

    // Same user id u1 on both sites, yet two different people: neither site may open the other's.
    const fromTwo = await open(siteOne, `/app/learners/${await memberId('42', 'u1', two)}`, ltikOf(pageOne));
    expect(fromTwo.status).toBe(404);
    const fromOne = await open(siteTwo, `/app/learners/${await memberId('42', 'u1', one)}`, ltikOf(pageTwo));
    expect(fromOne.status).toBe(404);
  });

  it('when a launch token from one user’s page is used with another browser’s cookies, then it is refused', async () => {
    const teacherPage = await launch(one, 'MODA', 't1', [ROLE.instructor]);
    const teacherLtik = ltikOf(teacherPage);
    // The student's browser holds Waymark's session cookie for this site, with the student's id in it.
    const studentBrowser = new TestBrowser();
    await launch(one, 'MODA', 's1', [ROLE.learner], {}, studentBrowser);
    for (const browser of [studentBrowser, new TestBrowser()]) {
      const page = await open(browser, '/app/module', teacherLtik);
      expect(page.status).toBe(401);
      expect(heading(page)).toBe('Your browser did not keep Waymark’s sign-in');
      expect(page.html).not.toContain('Mona Mentee');
    }
  });

  it('when a session stays unused longer than SESSION_IDLE_MINUTES, then it is refused with the relaunch page', async () => {
    const teacher = new TestBrowser();
    const ltik = ltikOf(await launch(one, 'MODA', 't1', [ROLE.instructor], {}, teacher));
    const minute = 60_000;
    try {
      clockOffsetMs = (IDLE_MINUTES - 1) * minute;
      expect((await open(teacher, '/app/module', ltik)).status).toBe(200);
      // Use keeps the session alive: idle time counts from the last request, not from the launch.
      clockOffsetMs = 2 * (IDLE_MINUTES - 1) * minute;
      expect((await open(teacher, '/app/module', ltik)).status).toBe(200);
      clockOffsetMs += (IDLE_MINUTES + 1) * minute;
      const page = await open(teacher, '/app/module', ltik);
      expect(page.status).toBe(401);
      expect(heading(page)).toBe('Your Waymark session has ended');
      expect(page.html).toContain('Open Waymark again from your Moodle course');
      expect(page.html).not.toContain('Mona Mentee');
      // Relaunching from Moodle opens a fresh session.
      expect(new URL((await launch(one, 'MODA', 't1', [ROLE.instructor], {}, teacher)).url).pathname).toBe('/app/module');
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('when another instance kept the session in use, then this one does not refuse it as idle', async () => {
    const teacher = new TestBrowser();
    const ltik = ltikOf(await launch(one, 'MODA', 't1', [ROLE.instructor], {}, teacher));
    const minute = 60_000;
    try {
      clockOffsetMs = (IDLE_MINUTES + 5) * minute;
      // This process holds the session as the launch stored it; another instance recorded a request a minute ago.
      await touchLaunchSession(readLtik(ltik)!.sessionId, new Date(Date.now() + clockOffsetMs - minute));
      expect((await open(teacher, '/app/module', ltik)).status).toBe(200);
    } finally {
      clockOffsetMs = 0;
    }
  });
});
