import { TestBrowser, startTestPlatform, type TestPlatform } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerWithEachOther, type DemoRegistration } from '../../../scripts/demo/demo-registration';
import { seedDemoModule, type SeedDemoResult } from '../../../scripts/demo/seed-demo-module';
import { demoLinks } from '../../../scripts/demo/demo-links';
import { SOURCES } from '../../../src/store/types';

// A smaller cohort than the demo's 200 keeps the test quick; the seeding path is the same.
const LEARNERS = 40;

describe('the demo module', () => {
  let tool: RunningTool;
  let platform: TestPlatform;
  let registration: DemoRegistration;
  let first: SeedDemoResult;

  beforeAll(async () => {
    tool = await startTestTool({ LOG_LEVEL: 'error' });
    platform = await startTestPlatform({ name: 'Demo Moodle (simulated)', nrpsPageSize: 500, agsPageSize: 500 });
    registration = await registerWithEachOther(platform, tool.baseUrl, 'test-admin-secret');
    first = await seedDemoModule({ platform, registration, learners: LEARNERS });
  }, 300_000);

  afterAll(async () => {
    await platform.close();
    await tool.close();
  });

  it('when the demo is seeded, then every source has activity and the stories are in place', () => {
    const { counts, cohort } = first;
    expect(counts.members).toBe(LEARNERS + 4);
    for (const source of SOURCES) expect(counts.eventsBySource[source]).toBeGreaterThan(0);
    expect(counts.assignments).toBe(2);
    expect(counts.knownCauses).toBe(1);
    expect(counts.sponsoredVisa).toBe(cohort.learners.filter((l) => l.sponsoredVisa).length);
    expect(cohort.learners.some((l) => l.story === 'fades')).toBe(true);
    expect(cohort.learners.some((l) => l.story === 'sudden-drop')).toBe(true);
    const problems = first.imports.flatMap((i) => [...i.report.failed, ...i.report.unmatched.map((u) => ({ line: u.line, reason: u.person }))]);
    expect(problems).toEqual([]);
  });

  it('when the demo is seeded a second time, then nothing is added or duplicated', async () => {
    const second = await seedDemoModule({ platform, registration, learners: LEARNERS });
    expect(second.module.id).toBe(first.module.id);
    expect(second.term).toEqual(first.term);
    expect(second.counts).toEqual(first.counts);
    expect(second.imports.map((i) => i.report.imported)).toEqual(second.imports.map(() => 0));
  }, 300_000);

  it('when the teacher opens the printed link, then a real LTI launch through the demo Moodle lands on the module page', async () => {
    const teacher = demoLinks(platform.issuer, registration.clientId, first.cohort).find((l) => l.person.userId === first.cohort.teacher.userId)!;
    const authRequestsBefore = platform.requestLog().filter((r) => r.path.startsWith('/mod/lti/auth.php')).length;
    const page = await new TestBrowser().get(teacher.url);
    expect(page.status).toBe(200);
    expect(new URL(page.url).origin).toBe(tool.baseUrl);
    expect(new URL(page.url).pathname).toBe('/app/module');
    expect(page.html).toContain('Foundations of Study');
    expect(platform.requestLog().filter((r) => r.path.startsWith('/mod/lti/auth.php')).length).toBe(authRequestsBefore + 1);
  });

  it('when the mentor and a student open their links, then each lands on the page for their role', async () => {
    const links = demoLinks(platform.issuer, registration.clientId, first.cohort);
    const mentor = links.find((l) => l.person.userId === first.cohort.mentor.userId)!;
    const student = links.find((l) => first.cohort.learners.some((learner) => learner.userId === l.person.userId))!;
    expect(new URL((await new TestBrowser().get(mentor.url)).url).pathname).toBe('/app/module');
    const panel = await new TestBrowser().get(student.url);
    expect(panel.status).toBe(200);
    expect(new URL(panel.url).pathname).toBe('/app/me');
  });
});
