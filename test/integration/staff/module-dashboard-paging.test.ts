import { TestBrowser } from '../../platform';
import { ROLE } from '../../support/lti-roles';
import { ltikOf, startEngagementModule, type EngagementModule } from '../analytics/engagement-module-fixture';
import { decode, learnerNames, textOf } from './staff-html';

function csvLines(text: string): string[] {
  return text.split('\r\n').filter(Boolean);
}

describe('module dashboard of a large module', () => {
  let fx: EngagementModule;
  const LEARNERS = 120;

  beforeAll(async () => {
    const learners = Array.from({ length: LEARNERS }, (_, i) => {
      const n = String(i + 1).padStart(3, '0');
      return { userId: String(6000 + i), name: `Learner ${n}`, givenName: 'Learner', familyName: n };
    });
    fx = await startEngagementModule({ courseId: 'BIG101', title: 'A Large Module', learners, nrpsPageSize: 50 });
  });

  afterAll(async () => {
    await fx.close();
  });

  it('when a module has more learners than a page, then the table is paged server-side and the CSV still holds every row', async () => {
    const browser = new TestBrowser();
    const first = await fx.launch('t1', [ROLE.instructor], {}, browser);
    const ltik = ltikOf(first);
    expect(learnerNames(first.html)).toHaveLength(50);
    expect(learnerNames(first.html)[0]).toBe('Learner 001');
    expect(textOf(first.html)).toContain(`Showing 1–50 of ${LEARNERS} learners`);
    expect(decode(first.html)).toMatch(/<a class="pager__link" href="\/app\/module\?page=2&ltik=[^"]+" rel="next">Next<\/a>/);
    const third = await fx.open(browser, '/app/module', ltik, { page: '3' });
    expect(learnerNames(third.html)).toHaveLength(LEARNERS - 100);
    expect(learnerNames(third.html)[0]).toBe('Learner 101');
    expect(third.html).toMatch(/aria-current="page">Page 3</);
    const past = await fx.open(browser, '/app/module', ltik, { page: '99' });
    expect(learnerNames(past.html)[0]).toBe('Learner 101');
    const csv = await fx.open(browser, '/app/module/learners.csv', ltik, { page: '2' });
    expect(csvLines(csv.html)).toHaveLength(LEARNERS + 1);
  });
});
