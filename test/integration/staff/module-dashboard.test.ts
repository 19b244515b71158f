import { TestBrowser } from '../../platform';
import { ROLE } from '../../support/lti-roles';
import { ltikOf, periodDay, type EngagementModule } from '../analytics/engagement-module-fixture';
import { DROPPED, LOW, SILENT, STEADY, startStaffScenarioAsTeacher } from './staff-module-scenario';
import { alertCards, decode, heading, learnerNames, learnerRow, ruleCount, textOf } from './staff-html';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { DateTime } from 'luxon';

const ALL_NAMES = [...STEADY, SILENT, LOW, DROPPED].map((l) => l.name);

/** Parses the CSV Waymark exports: every cell quoted, CRLF line ends (fetch has already dropped the BOM). */
function parseCsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => (m[1] ?? '').replace(/""/g, '"')));
}

describe('module dashboard', () => {
  let fx: EngagementModule;
  let teacher: TestBrowser;
  let ltik: string;
  let moduleId: string;

  beforeAll(async () => {
    ({ fx, moduleId, teacher, ltik } = await startStaffScenarioAsTeacher({ env: { ROSTER_SYNC_MIN_INTERVAL_MINUTES: '0' } }));
  });

  afterAll(async () => {
    await fx.close();
  });

  const dashboard = (query: Record<string, string> = {}, browser = teacher, token = ltik) => fx.open(browser, '/app/module', token, query);

  it('when a teacher opens the dashboard, then it shows the banner, open alerts by rule, data freshness and every learner with their figures', async () => {
    const page = await dashboard();
    expect(page.status).toBe(200);
    expect(heading(page.html)).toBe('Research Methods in Psychology');
    expect(textOf(page.html)).toContain('A prompt for a conversation, not a judgement.');
    expect(ruleCount(page.html, 'noEngagement')).toBe(1);
    expect(ruleCount(page.html, 'suddenDrop')).toBe(1);
    expect(ruleCount(page.html, 'persistentLow')).toBeGreaterThanOrEqual(1);
    expect(page.html).not.toContain('data-rule="sponsoredVisa"');
    const text = textOf(page.html);
    for (const line of ['Roster (Moodle)', 'Assignments (Moodle)', 'Moodle', 'Teams', 'Echo360', 'Figures updated']) expect(text).toContain(line);
    expect(learnerNames(page.html).sort()).toEqual([...ALL_NAMES].sort());
    expect(textOf(learnerRow(page.html, SILENT.name))).toContain('No engagement');
    expect(textOf(learnerRow(page.html, STEADY[0]!.name))).toMatch(/100%.*2 of 2.*None/);
    // The chart reads its weekly figures from JSON; the same figures are in a table.
    expect(page.html).toMatch(/<script type="application\/json" id="cohort-level-data">\{"labels":\["Week 1"/);
    expect(page.html).toContain('Weekly engagement level across the cohort (%)');
    const views = await listAuditEntries({ moduleId, action: 'module.view' });
    expect(views.length).toBeGreaterThan(0);
  });

  it('when the table is filtered by alert rule, name or "no access since", then only the matching learners are listed', async () => {
    expect(learnerNames((await dashboard({ alert: 'noEngagement' })).html)).toEqual([SILENT.name]);
    expect(learnerNames((await dashboard({ q: 'PRICE' })).html)).toEqual([LOW.name]);
    const day30 = DateTime.fromJSDate(periodDay(fx.calendar, 30)).toISODate()!;
    expect(learnerNames((await dashboard({ source: 'vle', since: day30 })).html)).toEqual([SILENT.name]);
    const noRecordings = learnerNames((await dashboard({ source: 'recording', since: day30 })).html);
    expect(noRecordings).toEqual(expect.arrayContaining([SILENT.name, LOW.name, STEADY[6]!.name]));
    expect(noRecordings).not.toContain(STEADY[0]!.name);
    const none = await dashboard({ alert: 'any', q: 'nobody-by-this-name' });
    expect(learnerNames(none.html)).toEqual([]);
    expect(textOf(none.html)).toContain('No learner matches these filters.');
  });

  it('when the table is sorted by level, then the lowest levels come first and learners without a level last', async () => {
    const page = await dashboard({ sort: 'level', dir: 'asc' });
    const names = learnerNames(page.html);
    expect(names.slice(0, 2).sort()).toEqual([DROPPED.name, SILENT.name].sort());
    expect(page.html).toMatch(/<th scope="col" rowspan="2" aria-sort="ascending"><a class="sort-link"[^>]*>Level/);
    const desc = learnerNames((await dashboard({ sort: 'level', dir: 'desc' })).html);
    expect(desc.slice(-2).sort()).toEqual([DROPPED.name, SILENT.name].sort());
  });

  it('when the query asks for something that cannot be, then the page says what to fix', async () => {
    const page = await dashboard({ since: '31/12/2025' });
    expect(page.status).toBe(400);
    expect(textOf(page.html)).toContain('since: use a date written YYYY-MM-DD');
    const sort = await dashboard({ sort: 'shoe-size' });
    expect(sort.status).toBe(400);
    expect(textOf(sort.html)).toContain('sort: choose one of name, level');
  });

  it('when a teacher downloads the table as CSV, then it holds exactly the filtered rows and columns shown, formulas neutralised, and the export is audited', async () => {
    fx.reg.platform.addMember(fx.courseId, { userId: '4999', name: '=HYPERLINK("http://evil.example","Click")', roles: ['Learner'] });
    // A new staff launch syncs the roster; the dashboard then brings the stored analysis up to date.
    ltik = ltikOf(await fx.launch('t1', [ROLE.instructor], {}, teacher));
    const shown = await dashboard({ alert: 'any' });
    const csv = await fx.open(teacher, '/app/module/learners.csv', ltik, { alert: 'any' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="waymark-learners-PSY2041\.csv"$/);
    const rows = parseCsv(csv.html);
    expect(rows[0]).toEqual(['Name', 'Level, week 5', 'Change from the week before', 'Last access: Moodle', 'Last access: Teams', 'Last access: Echo360', 'Assignments submitted', 'Open alerts']);
    // The same rows in the same order as the page (a name that reads as a formula gets its leading quote).
    expect(rows.slice(1).map((r) => r[0]?.replace(/^'(?=[=+\-@])/, ''))).toEqual(learnerNames(shown.html));
    const silent = rows.find((r) => r[0] === SILENT.name)!;
    expect(silent[6]).toBe('0 of 2');
    expect(silent[7]).toContain('No engagement');

    const everyone = parseCsv((await fx.open(teacher, '/app/module/learners.csv', ltik)).html);
    expect(everyone).toHaveLength(ALL_NAMES.length + 2);
    const formula = everyone.find((r) => r[0]?.includes('HYPERLINK'));
    expect(formula?.[0]).toBe('\'=HYPERLINK("http://evil.example","Click")');
    const exports = await listAuditEntries({ moduleId, action: 'learners.export' });
    expect(exports.map((e) => e.detail.rows).sort()).toEqual([rows.length - 1, ALL_NAMES.length + 1].sort());
  });

  it('when a teacher opts in to the weekly email, then the dashboard says so and offers to stop it', async () => {
    const page = await dashboard();
    expect(textOf(page.html)).toContain('Get a weekly email at tess@example.ac.uk');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.html)![1]!;
    const after = await teacher.post(`${fx.tool.baseUrl}/app/module/digest?ltik=${encodeURIComponent(ltik)}`, { _csrf: csrf, subscribe: 'yes' });
    expect(after.status).toBe(200);
    expect(new URL(after.url).searchParams.get('done')).toBe('digest-on');
    expect(textOf(after.html)).toContain('Each week you get an email at tess@example.ac.uk');
    expect(after.html).toContain('Stop the weekly email');
    const audit = await listAuditEntries({ moduleId, action: 'digest.update' });
    expect(audit[0]?.detail).toEqual({ subscribed: true });
  });

  describe('for a mentor', () => {
    let mentor: TestBrowser;
    let mentorLtik: string;

    beforeAll(async () => {
      mentor = new TestBrowser();
      mentorLtik = ltikOf(await fx.launch('m1', [ROLE.mentor], { mentorScope: [SILENT.userId, LOW.userId] }, mentor));
    });

    it('when a mentor opens the dashboard, the CSV or the alert queue, then only their mentees appear', async () => {
      const page = await dashboard({}, mentor, mentorLtik);
      expect(page.status).toBe(200);
      expect(learnerNames(page.html).sort()).toEqual([LOW.name, SILENT.name].sort());
      const text = textOf(page.html);
      for (const other of [...STEADY.map((l) => l.name), DROPPED.name, 'Tess Teacher']) expect(text).not.toContain(other);
      expect(page.html).not.toContain('Weekly email');
      const csv = parseCsv((await fx.open(mentor, '/app/module/learners.csv', mentorLtik)).html);
      expect(csv.slice(1).map((r) => r[0]).sort()).toEqual([LOW.name, SILENT.name].sort());
      const queue = await fx.open(mentor, '/app/module/alerts', mentorLtik);
      const cards = alertCards(queue.html);
      expect(cards.length).toBeGreaterThan(0);
      for (const card of cards) expect(card.text.includes(SILENT.name) || card.text.includes(LOW.name)).toBe(true);
      expect(textOf(queue.html)).not.toContain(DROPPED.name);
    });

    it('when a mentor opens or acts on someone who is not their mentee, then it is not found', async () => {
      const page = await fx.open(mentor, `/app/learners/${await fx.memberId(DROPPED.userId)}`, mentorLtik);
      expect(page.status).toBe(404);
      expect(decode(page.html)).not.toContain(DROPPED.name);
      const teacherQueue = await fx.open(teacher, '/app/module/alerts', ltik);
      const dropCard = alertCards(teacherQueue.html).find((c) => c.text.includes(DROPPED.name))!;
      const mentee = await fx.open(mentor, `/app/learners/${await fx.memberId(SILENT.userId)}`, mentorLtik);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(mentee.html)![1]!;
      const post = await mentor.post(`${fx.tool.baseUrl}/app/module/alerts/${dropCard.id}?ltik=${encodeURIComponent(mentorLtik)}`, { _csrf: csrf, action: 'acknowledge' });
      expect(post.status).toBe(404);
      const still = alertCards((await fx.open(teacher, '/app/module/alerts', ltik)).html).find((c) => c.id === dropCard.id);
      expect(still?.text).toContain('Open');
    });

    it('when a mentor opens the settings, then it is refused', async () => {
      const page = await fx.open(mentor, '/app/module/settings', mentorLtik);
      expect(page.status).toBe(403);
    });
  });
});
