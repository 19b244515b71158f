import { parse } from 'csv-parse/sync';
import { TestBrowser } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { recomputeModuleAnalysis } from '../../../src/reports/module-analysis-service';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { upsertAssignment, upsertSubmission } from '../../../src/store/assignment-repository';
import { createDataReport, listDataReports } from '../../../src/store/data-report-repository';
import { AlertModel } from '../../../src/store/models/alert-model';
import { EngagementEventModel } from '../../../src/store/models/engagement-event-model';
import { InterventionModel } from '../../../src/store/models/intervention-model';
import { KnownCauseModel } from '../../../src/store/models/known-cause-model';
import { MemberModel } from '../../../src/store/models/member-model';
import type { Member, Module } from '../../../src/store/types';
import { readPdf } from '../governance/pdf-text';
import { activeDays, addDays, memberOf, moduleOf, seedVleDays, startTeachingPeriod } from './engagement-seed';

const STAFF_ONLY = ['Spoke with Ada about her caring responsibilities', 'No Moodle activity for 15 teaching days', 'Hospital stay', 'Checked with registry'];
const FORMULA_REPORT = '=HYPERLINK("http://evil.example","click") is shown on Tuesday';

describe('download my data', () => {
  let tool: RunningTool;
  let reg: Registration;
  let module: Module;
  let ada: Member;
  let ltik: string;
  const student = new TestBrowser();

  const url = (path: string) => `${tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`;

  /** Downloads with the student browser's cookies, keeping the bytes (TestBrowser reads bodies as text). */
  async function download(path: string): Promise<{ status: number; type: string; disposition: string; body: Buffer }> {
    const host = new URL(tool.baseUrl).host;
    const cookie = student.cookies(host).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(url(path), { headers: { cookie } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', body: Buffer.from(await res.arrayBuffer()) };
  }

  beforeAll(async () => {
    tool = await startTestTool();
    reg = await registerManually(tool);
    reg.platform.addCourse({ id: 'HIS300', title: 'Modern History', label: 'HIS300' });
    reg.platform.addMember('HIS300', { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
    reg.platform.addMember('HIS300', { userId: 's1', name: 'Ada Zoë Ölund', email: 'ada@example.ac.uk', sourcedId: 'STU-1', roles: ['Learner'] });
    reg.platform.addMember('HIS300', { userId: 's2', name: 'Bob Other', email: 'bob@example.ac.uk', roles: ['Learner'] });
    await new TestBrowser().launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: 'HIS300', userId: 't1', roles: [ROLE.instructor] });
    module = await moduleOf(tool, reg, 'HIS300');
    const start = await startTeachingPeriod(module, 2);
    ada = await memberOf(module, 's1');
    const bob = await memberOf(module, 's2');
    await seedVleDays(module, ada, activeDays(start, 2, 2), 'ada');
    await seedVleDays(module, bob, activeDays(start, 2, 3), 'bob');
    // Due on the Friday of week 2, handed in the day before.
    const essay = await upsertAssignment({ moduleId: module.id, key: 'staff:essay', title: 'Source analysis', dueAt: new Date(`${addDays(start, 11)}T17:00:00Z`), origin: 'staff' });
    await upsertSubmission({ moduleId: module.id, assignmentId: essay.id, memberId: ada.id, submitted: true, submittedAt: new Date(`${addDays(start, 10)}T09:00:00Z`), late: false, status: 'submitted', origin: 'file' });
    await createDataReport({ moduleId: module.id, memberId: ada.id, source: 'vle', text: FORMULA_REPORT });
    await createDataReport({ moduleId: module.id, memberId: bob.id, source: 'vle', text: 'Bob says his Tuesday is missing' });
    await MemberModel.updateOne({ _id: ada.id }, { $set: { sponsoredVisa: true } });
    await AlertModel.create({ moduleId: module.id, memberId: ada.id, rule: 'noEngagement', audience: 'staff', key: 'k1', state: 'open', since: start, evidence: { text: STAFF_ONLY[1], figures: {} }, openedAt: new Date() });
    await InterventionModel.create({ moduleId: module.id, memberId: ada.id, method: 'email', contactedOn: start, note: STAFF_ONLY[0], recordedByUserId: 't1' });
    await KnownCauseModel.create({ moduleId: module.id, memberId: ada.id, from: start, to: start, reason: STAFF_ONLY[2], createdByUserId: 't1' });
    // Imports recompute the stored analysis; seeding through the store directly must do the same.
    await recomputeModuleAnalysis(module.id);

    const page = await student.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: 'HIS300', userId: 's1', roles: [ROLE.learner] });
    expect(new URL(page.url).pathname).toBe('/app/me');
    ltik = new URL(page.url).searchParams.get('ltik')!;
    expect(page.html).toContain('href="/app/me/export.pdf?ltik');
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  it('when a student downloads JSON, then it holds their own records only, with the note and no staff-only content', async () => {
    const res = await download('/app/me/export.json');
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/json');
    expect(res.disposition).toMatch(/^attachment; filename="waymark-my-data-HIS300-\d{4}-\d{2}-\d{2}\.json"$/);
    const text = res.body.toString('utf8');
    const data = JSON.parse(text);
    expect(data.note).toContain('does not include what staff record for themselves');
    expect(data.module).toMatchObject({ title: 'Modern History', courseId: 'HIS300' });
    expect(data.person).toMatchObject({ moodleUserId: 's1', name: 'Ada Zoë Ölund', email: 'ada@example.ac.uk', sourcedId: 'STU-1' });
    const ownEvents = await EngagementEventModel.countDocuments({ memberId: ada.id });
    expect(data.events).toHaveLength(ownEvents);
    expect(data.events.filter((e: { source: string }) => e.source === 'vle')).toHaveLength(4);
    expect(data.assignments).toEqual([expect.objectContaining({ title: 'Source analysis', submitted: true })]);
    expect(data.dataReports).toEqual([expect.objectContaining({ text: FORMULA_REPORT, status: 'new' })]);
    expect(data.dataReports[0]).not.toHaveProperty('staffNote');
    // Two of three Moodle days each week; week 2 also counts the essay she handed in: (3 × 2/3 + 2 × 1) / 5.
    expect(data.weeklyEngagement.map((w: { level: number | null }) => w.level).slice(0, 2)).toEqual([67, 80]);
    for (const hidden of [...STAFF_ONLY, 'Bob Other', 'bob@example.ac.uk', 'Bob says', 'sponsoredVisa', 'staffOnly']) expect(text).not.toContain(hidden);
  });

  it('when a student downloads CSV, then every row has the same columns and spreadsheet formulas are neutralised', async () => {
    const res = await download('/app/me/export.csv');
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/csv');
    const text = res.body.toString('utf8');
    expect(text.startsWith('\uFEFF"record","date"')).toBe(true);
    const rows: string[][] = parse(text.slice(1), { relaxColumnCount: false });
    expect(rows[0]).toEqual(['record', 'date', 'source', 'item', 'count', 'minutes', 'status', 'details']);
    expect(new Set(rows.map((r) => r.length))).toEqual(new Set([8]));
    const report = rows.find((r) => r[0] === 'your report about incorrect data');
    expect(report?.[3]).toBe(`'${FORMULA_REPORT}`);
    expect(rows.filter((r) => r[0] === 'activity record' && r[2] === 'Moodle')).toHaveLength(4);
    expect(rows.find((r) => r[0] === 'about you' && r[3] === 'email')?.[7]).toBe('ada@example.ac.uk');
    for (const hidden of [...STAFF_ONLY, 'Bob Other', 'sponsored']) expect(text).not.toContain(hidden);
  });

  it('when a student downloads the PDF, then it is a readable PDF with a title, the module, the date and their tables', async () => {
    const res = await download('/app/me/export.pdf');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/pdf');
    expect(res.disposition).toContain('.pdf"');
    const pdf = readPdf(res.body);
    expect(pdf.title).toBe('Your engagement data');
    expect(pdf.pageCount).toBeGreaterThanOrEqual(1);
    expect(pdf.text).toContain('Your engagement data');
    expect(pdf.text).toContain('Module: Modern History (Moodle course HIS300)');
    expect(pdf.text).toMatch(/Generated: \d{1,2} \w{3} \d{4}, \d{2}:\d{2}/);
    expect(pdf.text).toContain('For: Ada Zoë Ölund');
    for (const heading of ['Your details from Moodle', 'Weekly engagement level', 'Assignments', 'Daily activity totals', 'Activity records']) expect(pdf.text).toContain(heading);
    expect(pdf.text).toContain('Source analysis');
    expect(pdf.text).toContain('does not include what staff record for themselves');
    for (const hidden of [...STAFF_ONLY, 'Bob Other']) expect(pdf.text).not.toContain(hidden);
  });

  it('when a student downloads their data, then each download is audited as a student export of their own record', async () => {
    const before = await listAuditEntries({ learnerMemberId: ada.id, action: 'learner.export' });
    await download('/app/me/export.csv');
    const after = await listAuditEntries({ learnerMemberId: ada.id, action: 'learner.export' });
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({ actorUserId: 's1', actorRole: 'student', moduleId: module.id, detail: { format: 'csv' } });
  });

  it('when an unknown format is asked for, then nothing is exported and nothing is audited', async () => {
    const before = (await listAuditEntries({ learnerMemberId: ada.id, action: 'learner.export' })).length;
    const res = await download('/app/me/export.xml');
    expect(res.status).toBe(404);
    expect((await listAuditEntries({ learnerMemberId: ada.id, action: 'learner.export' })).length).toBe(before);
  });

  describe('report incorrect data', () => {
    const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

    it('when a student sends a report with the form, then it is stored, confirmed on the panel and audited', async () => {
      const panel = await student.get(url('/app/me'));
      const text = 'My seminar attendance on 14 October is missing.';
      const page = await student.post(url('/app/me/data-reports'), { _csrf: csrfOf(panel.html), source: 'meeting', text });
      expect(page.status).toBe(200);
      expect(new URL(page.url).pathname).toBe('/app/me');
      expect(page.html).toContain('data-testid="report-confirmation"');
      expect(page.html).toContain(text);
      const stored = (await listDataReports(module.id, ada.id)).find((r) => r.text === text);
      expect(stored).toMatchObject({ source: 'meeting', status: 'new' });
      const audit = await listAuditEntries({ learnerMemberId: ada.id, action: 'data-report.create' });
      expect(audit[0]).toMatchObject({ actorUserId: 's1', actorRole: 'student', detail: { reportId: stored!.id, source: 'meeting' } });
    });

    it('when the form is sent without its CSRF token or with a forged one, then it is refused and nothing is stored', async () => {
      const before = (await listDataReports(module.id, ada.id)).length;
      const attempts: Array<Record<string, string>> = [{ source: 'vle', text: 'no token' }, { _csrf: 'forged-token-value-forged-token-value-xx', source: 'vle', text: 'forged' }];
      for (const fields of attempts) {
        const page = await student.post(url('/app/me/data-reports'), fields);
        expect(page.status).toBe(403);
        expect(page.html).toContain('This form has expired');
      }
      expect((await listDataReports(module.id, ada.id)).length).toBe(before);
    });

    it('when the report is empty or longer than 2000 characters, then it is refused with what to fix and the text is kept', async () => {
      const before = (await listDataReports(module.id, ada.id)).length;
      const panel = await student.get(url('/app/me'));
      const empty = await student.post(url('/app/me/data-reports'), { _csrf: csrfOf(panel.html), source: 'vle', text: '   ' });
      expect(empty.status).toBe(400);
      expect(empty.html).toContain('Say what looks wrong');
      expect(empty.html).toMatch(/<option value="vle" selected>/);
      const long = `Too long <b>${'x'.repeat(2000)}`;
      const tooLong = await student.post(url('/app/me/data-reports'), { _csrf: csrfOf(panel.html), source: 'other', text: long });
      expect(tooLong.status).toBe(400);
      expect(tooLong.html).toContain('Keep it to 2000 characters or fewer');
      expect(tooLong.html).toContain(`Too long &lt;b&gt;${'x'.repeat(2000)}</textarea>`);
      const badSource = await student.post(url('/app/me/data-reports'), { _csrf: csrfOf(panel.html), source: 'grades', text: 'x' });
      expect(badSource.status).toBe(400);
      expect(badSource.html).toContain('Choose which data looks wrong.');
      expect((await listDataReports(module.id, ada.id)).length).toBe(before);
    });
  });
});
