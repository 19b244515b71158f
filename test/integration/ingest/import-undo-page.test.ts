import fs from 'node:fs';
import path from 'node:path';
import { Types } from 'mongoose';
import { TestBrowser, type BrowserPage } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { moodleLogCsv } from '../../support/moodle-log-builder';
import { waitUntil } from '../resilience/free-port';
import { listAuditEntries } from '../../../src/store/audit-repository';
import { listModuleRollups } from '../../../src/store/daily-activity-repository';
import { listRecentImportRuns, startImportRun } from '../../../src/store/import-run-repository';
import { findModule, getModuleById } from '../../../src/store/module-repository';
import { getModuleSnapshot } from '../../../src/store/module-snapshot-repository';
import { EngagementEventModel } from '../../../src/store/models/engagement-event-model';
import { ImportRunModel } from '../../../src/store/models/import-run-model';
import type { Module } from '../../../src/store/types';
import { decodeEntities } from '../../platform/html-form-parser';

// Staff take back an import made by mistake from its result page: its events go, the days they were on are
// counted again, and the run says who undid it.

const COURSE = 'UNDO1';
const OTHER_COURSE = 'UNDO2';
const FIXTURES = path.resolve(__dirname, '../../fixtures/ingest');

function upload(fields: Record<string, string>, file: { name: string; content: Buffer | string }): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)]), file.name);
  return form;
}

function formActionOn(page: BrowserPage, pathPrefix: string): string {
  const action = [...page.html.matchAll(/<form[^>]*action="([^"]+)"/g)].map((m) => decodeEntities(m[1]!)).find((a) => a.startsWith(pathPrefix));
  if (!action) throw new Error(`No form posting to ${pathPrefix} on ${page.url} (status ${page.status})`);
  return new URL(action, page.url).toString();
}

/** The form token of the person's session: a hidden field, or the upload form's query string (its body is multipart). */
function csrfOn(page: BrowserPage): string {
  const raw = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? /[?&]_csrf(?:=|&#x3D;)([^"&]+)/.exec(page.html)?.[1];
  if (!raw) throw new Error(`No form token on ${page.url}`);
  return decodeEntities(raw);
}

const runIdOf = (page: BrowserPage) => /\/import\/runs\/([0-9a-f]{24})/.exec(new URL(page.url).pathname)![1]!;
const text = (page: BrowserPage) => decodeEntities(page.html);

describe('undoing an import /app/module/import/runs/:runId/undo', () => {
  let tool: RunningTool;
  let reg: Registration;
  let module: Module;
  let teacher: TestBrowser;
  let ltik: string;
  let otherTeacher: TestBrowser;
  let otherLtik: string;

  const open = (browser: TestBrowser, pathname: string, token = ltik) => browser.get(`${tool.baseUrl}${pathname}${pathname.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(token)}`);
  const importFile = async (fields: Record<string, string>, file: { name: string; content: Buffer | string }) => {
    const page = await open(teacher, '/app/module/import');
    const result = await teacher.post(formActionOn(page, '/app/module/import?'), upload(fields, file));
    expect(result.status).toBe(200);
    return result;
  };
  /** The session's form token, from the import page's upload form (a run page may have no form). */
  const tokenOf = async (browser: TestBrowser, token = ltik) => csrfOn(await open(browser, '/app/module/import', token));
  const undoUrl = (runId: string, token = ltik) => `${tool.baseUrl}/app/module/import/runs/${runId}/undo?ltik=${encodeURIComponent(token)}`;
  const vleRollups = async () =>
    (await listModuleRollups(module.id))
      .filter((r) => r.source === 'vle')
      .map((r) => `${r.day} ${r.count}`)
      .sort();
  const dataVersion = async () => (await getModuleById(module.id))!.dataVersion;
  /** What an undo may change, to show that a refused one changed none of it. */
  const everything = async () => ({
    events: await EngagementEventModel.countDocuments({}),
    rollups: await listModuleRollups(module.id),
    dataVersion: await dataVersion(),
    audit: (await listAuditEntries({ moduleId: module.id, action: 'import.undo' })).length,
  });

  beforeAll(async () => {
    tool = await startTestTool({ LOG_LEVEL: 'silent' });
    reg = await registerManually(tool);
    reg.platform.addCourse({ id: COURSE, title: 'Undo Studies' });
    reg.platform.addMember(COURSE, { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
    reg.platform.addMember(COURSE, { userId: '1001', name: 'Ada Lovelace', email: 'ada@example.ac.uk', roles: ['Learner'] });
    reg.platform.addMember(COURSE, { userId: '1002', name: 'Alan Turing', email: 'alan@example.ac.uk', roles: ['Learner'] });
    reg.platform.addCourse({ id: OTHER_COURSE, title: 'Other Studies' });
    reg.platform.addMember(OTHER_COURSE, { userId: 't9', name: 'Otto Otherteach', roles: ['Instructor'] });
    teacher = new TestBrowser();
    const landing = await teacher.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: COURSE, userId: 't1', roles: [ROLE.instructor] });
    ltik = new URL(landing.url).searchParams.get('ltik')!;
    otherTeacher = new TestBrowser();
    const otherLanding = await otherTeacher.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: OTHER_COURSE, userId: 't9', roles: [ROLE.instructor] });
    otherLtik = new URL(otherLanding.url).searchParams.get('ltik')!;
    const platform = await tool.waymark.lti.findPlatform(reg.platform.issuer, reg.clientId);
    module = (await findModule(await platform!.platformId(), COURSE))!;
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  // The right log, then a wrong one that adds to one of its days and brings days of its own.
  const rightLog = moodleLogCsv([{ at: new Date('2026-10-05T09:00:00Z'), userId: '1001', fullName: 'Ada Lovelace' }]);
  const wrongLog = moodleLogCsv([
    { at: new Date('2026-10-05T14:00:00Z'), userId: '1001', fullName: 'Ada Lovelace' },
    { at: new Date('2026-10-06T10:00:00Z'), userId: '1002', fullName: 'Alan Turing' },
    { at: new Date('2026-10-20T10:00:00Z'), userId: '1001', fullName: 'Ada Lovelace' },
  ]);
  let wrongRunId = '';

  it('when staff undo a Moodle log imported by mistake, then its events go, the days they were on are counted again, and the analysis catches up', async () => {
    await importFile({ format: 'moodle-course-log', dayMonthOrder: 'dmy' }, { name: 'logs_UNDO1.csv', content: rightLog });
    const wrong = await importFile({ format: 'moodle-course-log', dayMonthOrder: 'dmy' }, { name: 'logs_OTHER.csv', content: wrongLog });
    wrongRunId = runIdOf(wrong);
    expect(wrong.html).toMatch(/data-testid="count-imported">3</);
    expect(await vleRollups()).toEqual(['2026-10-05 2', '2026-10-06 1', '2026-10-20 1']);
    expect(await EngagementEventModel.countDocuments({ moduleId: new Types.ObjectId(module.id), importId: wrongRunId })).toBe(3);
    const versionBefore = await dataVersion();

    const undone = await teacher.post(formActionOn(wrong, `/app/module/import/runs/${wrongRunId}/undo`), { _csrf: csrfOn(wrong) });
    expect(undone.status).toBe(200);
    expect(new URL(undone.url).pathname).toBe(`/app/module/import/runs/${wrongRunId}`);
    expect(text(undone)).toContain('Import undone');
    expect(text(undone)).toMatch(/data-testid="import-undone">Undone by Tess Teacher on .+?: the 3 events it stored were removed/);
    expect(undone.html).not.toContain('data-testid="undo-form"');

    expect(await EngagementEventModel.countDocuments({ importId: wrongRunId })).toBe(0);
    expect(await EngagementEventModel.countDocuments({ moduleId: new Types.ObjectId(module.id), source: 'vle' })).toBe(1);
    // Ada's 5 October keeps the right log's visit; the wrong log's own days are gone.
    expect(await vleRollups()).toEqual(['2026-10-05 1']);
    expect(await dataVersion()).toBeGreaterThan(versionBefore);
    const target = await dataVersion();
    await waitUntil('the analysis caught up', async () => (await getModuleSnapshot(module.id))?.dataVersion === target, 30_000, 100);
    expect((await getModuleSnapshot(module.id))?.lastActivityBySource.vle).toBe('2026-10-05');

    const [audit] = await listAuditEntries({ moduleId: module.id, action: 'import.undo' });
    expect(audit?.detail).toEqual({ importRun: wrongRunId, eventsRemoved: 3, memberDays: 3, resumed: false });

    const list = await open(teacher, '/app/module/import');
    expect(text(list)).toMatch(/logs_OTHER\.csv[\s\S]*?Undone by Tess Teacher on/);
  });

  it('when the undo is sent a second time, then it answers that the import was already undone and changes nothing', async () => {
    const before = await everything();
    const again = await teacher.post(undoUrl(wrongRunId), { _csrf: await tokenOf(teacher) });
    expect(again.status).toBe(409);
    expect(text(again)).toMatch(/data-testid="undo-problem"><p>This import was already undone by Tess Teacher on [^;]+; nothing was changed\./);
    expect(await everything()).toEqual(before);
  });

  it('when the undo is sent twice at the same moment (a double click), then it runs once and the other answers it is under way or done', async () => {
    const page = await importFile({ format: 'moodle-course-log', dayMonthOrder: 'dmy' }, { name: 'logs_TWICE.csv', content: moodleLogCsv([{ at: new Date('2026-10-13T09:00:00Z'), userId: '1002', fullName: 'Alan Turing' }]) });
    const runId = runIdOf(page);
    const token = csrfOn(page);
    const answers = await Promise.all([teacher.post(undoUrl(runId), { _csrf: token }), teacher.post(undoUrl(runId), { _csrf: token })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect((await listAuditEntries({ moduleId: module.id, action: 'import.undo' })).filter((e) => e.detail.importRun === runId)).toHaveLength(1);
    expect(await EngagementEventModel.countDocuments({ importId: runId })).toBe(0);
  });

  it('when staff of another module, or anyone with an unknown run id, send the undo, then it is not found and nothing changes', async () => {
    const rightRun = (await listRecentImportRuns(module.id)).find((r) => r.filename === 'logs_UNDO1.csv')!.id;
    const before = await everything();
    const foreign = await otherTeacher.post(undoUrl(rightRun, otherLtik), { _csrf: await tokenOf(otherTeacher, otherLtik) });
    expect(foreign.status).toBe(404);
    for (const unknown of [new Types.ObjectId().toHexString(), 'not-a-run']) {
      expect((await teacher.post(undoUrl(unknown), { _csrf: await tokenOf(teacher) })).status).toBe(404);
    }
    expect(await everything()).toEqual(before);
  });

  it('when an undo stopped part-way long ago, then undoing again completes it and rebuilds the rollups', async () => {
    const log = moodleLogCsv([{ at: new Date('2026-10-12T10:00:00Z'), userId: '1002', fullName: 'Alan Turing' }]);
    const result = await importFile({ format: 'moodle-course-log', dayMonthOrder: 'dmy' }, { name: 'logs_INTERRUPTED.csv', content: log });
    const runId = runIdOf(result);
    // As a crash would leave it: claimed an hour ago, never finished, its events still there.
    await ImportRunModel.updateOne({ _id: new Types.ObjectId(runId) }, { $set: { undo: { byUserId: 't1', byName: 'Tess Teacher', at: new Date(Date.now() - 3_600_000), finishedAt: null, eventsRemoved: 0 } } });
    expect(await vleRollups()).toContain('2026-10-12 1');
    const undone = await teacher.post(undoUrl(runId), { _csrf: await tokenOf(teacher) });
    expect(undone.status).toBe(200);
    expect(text(undone)).toContain('Undone by Tess Teacher on');
    expect(await EngagementEventModel.countDocuments({ importId: runId })).toBe(0);
    expect(await vleRollups()).toEqual(['2026-10-05 1']);
  });

  it('when a run is still in progress, then its page and the undo say it cannot be undone until it has finished', async () => {
    const running = await startImportRun({ moduleId: module.id, format: 'moodle-course-log', source: 'vle', filename: 'big.csv', byUserId: 't1', byName: 'Tess Teacher', via: 'upload', at: new Date() });
    const page = await open(teacher, `/app/module/import/runs/${running.id}`);
    expect(text(page)).toContain('This import is still running. It can be undone once it has finished');
    expect(page.html).not.toContain('data-testid="undo-form"');
    const before = await everything();
    const refused = await teacher.post(undoUrl(running.id), { _csrf: await tokenOf(teacher) });
    expect(refused.status).toBe(409);
    expect(text(refused)).toContain('This import is still running.');
    expect(await everything()).toEqual(before);
  });

  it('when a grading worksheet was imported, then its page says why it cannot be undone, and an undo sent anyway changes nothing', async () => {
    const worksheet = fs.readFileSync(path.join(FIXTURES, 'moodle-grading-worksheet', 'Grades-PSY1001-Research proposal-660.csv'));
    const result = await importFile({ format: 'moodle-grading-worksheet' }, { name: 'Grades-UNDO1-Research proposal-660.csv', content: worksheet });
    expect(text(result)).toContain('Imports of grading worksheets and gradebooks cannot be undone: Waymark does not record which submissions each import created or changed');
    expect(result.html).not.toContain('data-testid="undo-form"');
    const before = await everything();
    const refused = await teacher.post(undoUrl(runIdOf(result)), { _csrf: await tokenOf(teacher) });
    expect(refused.status).toBe(409);
    expect(await everything()).toEqual(before);
  });

  it('when an Echo360 export raised view counts an earlier export stored, then it cannot be undone, so the earlier export’s views stay', async () => {
    const echo360 = (views: number) =>
      [
        '"Student Name","Student Email","Student User ID","Section Name","Class","Lesson Date","Video Views","Video View %"',
        `"Ada Lovelace","ada@example.ac.uk","al1001","UNDO1 Lecture","Lecture 2: Variance","2026-10-08","${views}","50"`,
      ].join('\n');
    const first = await importFile({ format: 'echo360' }, { name: 'echo-week2.csv', content: echo360(2) });
    expect(first.html).toContain('data-testid="undo-form"');
    const later = await importFile({ format: 'echo360' }, { name: 'echo-week2-later.csv', content: echo360(5) });
    expect(text(later)).toContain('This import cannot be undone: it raised 1 view count that an earlier Echo360 import had stored');
    expect(later.html).not.toContain('data-testid="undo-form"');
    const before = await everything();
    const refused = await teacher.post(undoUrl(runIdOf(later)), { _csrf: await tokenOf(teacher) });
    expect(refused.status).toBe(409);
    expect(await everything()).toEqual(before);
  });
});
