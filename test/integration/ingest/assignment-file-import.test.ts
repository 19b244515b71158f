import fs from 'node:fs';
import path from 'node:path';
import { TestBrowser } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { runFileImport } from '../../../src/ingest/file-import-run';
import { listAssignments, listSubmissions, setAssignmentDueDate } from '../../../src/store/assignment-repository';
import { findImportRun } from '../../../src/store/import-run-repository';
import { listMembers } from '../../../src/store/member-repository';
import { findModule } from '../../../src/store/module-repository';
import { listModuleRollups } from '../../../src/store/daily-activity-repository';
import { EngagementEventModel } from '../../../src/store/models/engagement-event-model';
import type { Module } from '../../../src/store/types';

const FIXTURES = path.resolve(__dirname, '../../fixtures/ingest');
const WORKSHEET = 'Grades-PSY1001-Research proposal-660.csv';
const worksheet = () => fs.readFileSync(path.join(FIXTURES, 'moodle-grading-worksheet', WORKSHEET));
const gradebook = () => fs.readFileSync(path.join(FIXTURES, 'moodle-gradebook', 'grades-comma.csv'));
const COURSE = 'PSY1001';
const email = (local: string) => `${local}@student.uni.example.ac.uk`;

describe('assignment file imports (grading worksheet and gradebook export)', () => {
  let tool: RunningTool;
  let reg: Registration;
  let module: Module;
  let userOf: Map<string, string>;

  const importFile = (format: 'moodle-grading-worksheet' | 'moodle-gradebook', input: Buffer, extra: { filename?: string; dueAt?: Date | null; assignmentName?: string } = {}) =>
    runFileImport(module, input, {
      format,
      filename: extra.filename ?? (format === 'moodle-grading-worksheet' ? WORKSHEET : 'grades.csv'),
      dueAt: extra.dueAt,
      assignmentName: extra.assignmentName,
      by: { userId: 't1', name: 'Tess Teacher' },
      via: 'upload',
      now: () => new Date(),
    });
  const submissionsByUser = async (assignmentId: string) =>
    Object.fromEntries((await listSubmissions(module.id)).filter((s) => s.assignmentId === assignmentId).map((s) => [userOf.get(s.memberId), s]));

  beforeAll(async () => {
    tool = await startTestTool({ LOG_LEVEL: 'silent' });
    reg = await registerManually(tool);
    reg.platform.addCourse({ id: COURSE, title: 'Research Methods in Psychology' });
    reg.platform.addMember(COURSE, { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
    const learners: Array<[string, string, string, string?]> = [
      ['1120', 'Amira Haddad', email('amira.haddad'), '2310045'],
      ['982', 'Loc Nguyen', email('loc.nguyen'), '2310046'],
      ['1201', 'Siobhán O’Neill', email('s.oneill')],
      ['1046', 'Chau Bui', email('chau.bui'), '2310047'],
      ['1300', 'Jordan Price', email('jordan.price')],
      ['1301', 'Ana Lúcia Ferreira', email('ana.ferreira')],
      ['1302', 'Robin Kaur', email('robin.kaur')],
    ];
    for (const [userId, name, mail, sourcedId] of learners) reg.platform.addMember(COURSE, { userId, name, email: mail, sourcedId, roles: ['Learner'] });
    await new TestBrowser().launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: COURSE, userId: 't1', roles: [ROLE.instructor] });
    const platform = await tool.waymark.lti.findPlatform(reg.platform.issuer, reg.clientId);
    module = (await findModule(await platform!.platformId(), COURSE))!;
    userOf = new Map((await listMembers(module.id)).map((m) => [m.id, m.userId]));
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  it('when a grading worksheet is imported with its due date, then its assignment, each submission state and the submission events are stored', async () => {
    const outcome = await importFile('moodle-grading-worksheet', worksheet(), { dueAt: new Date('2024-03-15T17:00:00Z') });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const [assignment] = await listAssignments(module.id);
    expect(assignment).toMatchObject({ key: 'file:research proposal', title: 'Research proposal', origin: 'file', dueAtSource: 'file' });
    expect(assignment!.dueAt?.toISOString()).toBe('2024-03-15T17:00:00.000Z');

    const byUser = await submissionsByUser(assignment!.id);
    expect(byUser['1120']).toMatchObject({ submitted: true, late: false, status: 'submitted' });
    expect(byUser['1120']!.submittedAt?.toISOString()).toBe('2024-03-15T14:05:00.000Z'); // 2:05 PM GMT
    expect(byUser['982']).toMatchObject({ submitted: false, late: true, status: 'no-submission' });
    expect(byUser['1201']).toMatchObject({ submitted: false, status: 'draft' });
    expect(byUser['1046']).toMatchObject({ submitted: true, late: true });
    expect(byUser['1302']).toMatchObject({ submitted: false, status: 'reopened' });

    // The row cut short and the German status are listed with their lines; Kai Doe is not in the module.
    const report = outcome.report;
    expect(report.failed.map((f) => f.line)).toHaveLength(2);
    expect(report.failed.some((f) => /does not start with a Moodle submission status/.test(f.reason))).toBe(true);
    expect(report.unmatched.map((u) => u.person).join(' ')).toContain('Kai Doe');
    expect(report.droppedColumns).toEqual(['Gender']);

    // Amira, Chau and Ana submitted with a time: three assignment events, rolled up per day.
    expect(await EngagementEventModel.countDocuments({ source: 'assignment' })).toBe(3);
    const rollups = (await listModuleRollups(module.id)).filter((r) => r.source === 'assignment');
    expect(rollups.reduce((n, r) => n + r.count, 0)).toBe(3);

    const run = await findImportRun(module.id, outcome.runId);
    expect(run).toMatchObject({ status: 'done', format: 'moodle-grading-worksheet', filename: WORKSHEET, byName: 'Tess Teacher', via: 'upload' });
    expect(run!.counts).toMatchObject({ unmatched: 1, failed: 2 });
    expect(run!.problems.map((p) => p.kind).sort()).toEqual(['failed', 'failed', 'unmatched']);
  });

  it('when the same worksheet is imported again, then nothing is added or changed', async () => {
    const events = await EngagementEventModel.countDocuments({});
    const submissions = await listSubmissions(module.id);
    const outcome = await importFile('moodle-grading-worksheet', worksheet());
    expect(outcome.ok && outcome.report.imported).toBe(0);
    expect(outcome.ok && outcome.report.alreadyStored).toBe(7);
    expect(await EngagementEventModel.countDocuments({})).toBe(events);
    expect(await listSubmissions(module.id)).toEqual(submissions);
    // The due date from the first import stays although this import gave none.
    expect((await listAssignments(module.id))[0]!.dueAt?.toISOString()).toBe('2024-03-15T17:00:00.000Z');
  });

  it('when the gradebook export is imported, then the same assignment is updated, quizzes are left out and the disability column is never read', async () => {
    const outcome = await importFile('moodle-gradebook', gradebook());
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const assignments = await listAssignments(module.id);
    expect(assignments.map((a) => a.title).sort()).toEqual(['Religion in public life', 'Research proposal']);
    const proposal = assignments.find((a) => a.title === 'Research proposal')!;
    const byUser = await submissionsByUser(proposal.id);
    // Amira's graded proposal keeps the worksheet's submission time; Loc is still not submitted.
    expect(byUser['1120']).toMatchObject({ submitted: true });
    expect(byUser['1120']!.submittedAt?.toISOString()).toBe('2024-03-15T14:05:00.000Z');
    expect(byUser['982']).toMatchObject({ submitted: false });
    // The gradebook knows nothing of lateness or how work was submitted: the worksheet's word on both stays.
    expect(byUser['1120']).toMatchObject({ late: false, status: 'submitted' });
    expect(byUser['982']).toMatchObject({ late: true, status: 'no-submission' });
    // Only the other assignment's two rows are new; the proposal's two are reported as already stored.
    expect(outcome.report).toMatchObject({ imported: 2, alreadyStored: 2 });
    expect(outcome.report.droppedColumns).toEqual(['Disability status']);
    expect(outcome.report.notes.join(' ')).toMatch(/not assignments were left out: Quiz/);
    expect(outcome.report.unmatched.map((u) => u.person).join(' ')).toContain('x.bui@student.uni.example.ac.uk');
    expect(outcome.report.failedCount).toBe(1);
  });

  it('when a worksheet lacks a due date, then staff can enter one and no import overwrites it', async () => {
    const renamed = await importFile('moodle-grading-worksheet', worksheet(), { filename: 'worksheet.csv', assignmentName: 'Lab report 1' });
    expect(renamed.ok).toBe(true);
    const lab = (await listAssignments(module.id)).find((a) => a.title === 'Lab report 1')!;
    expect(lab.dueAt).toBeNull();
    expect(await setAssignmentDueDate(module.id, lab.id, new Date('2024-03-20T12:00:00Z'))).toBe(true);
    await importFile('moodle-grading-worksheet', worksheet(), { filename: 'worksheet.csv', assignmentName: 'Lab report 1', dueAt: new Date('2030-01-01T00:00:00Z') });
    const after = (await listAssignments(module.id)).find((a) => a.id === lab.id)!;
    expect(after).toMatchObject({ dueAtSource: 'staff' });
    expect(after.dueAt?.toISOString()).toBe('2024-03-20T12:00:00.000Z');
  });

  it('when the course short name holds a hyphen, then the worksheet is named after the assignment, not after the rest of the short name', async () => {
    reg.platform.addCourse({ id: 'PSY-1001', title: 'Psychology with hyphens', label: 'PSY-1001' });
    reg.platform.addMember('PSY-1001', { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
    reg.platform.addMember('PSY-1001', { userId: '1120', name: 'Amira Haddad', email: email('amira.haddad'), roles: ['Learner'] });
    await new TestBrowser().launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: 'PSY-1001', userId: 't1', roles: [ROLE.instructor] });
    const platform = await tool.waymark.lti.findPlatform(reg.platform.issuer, reg.clientId);
    const hyphenated = (await findModule(await platform!.platformId(), 'PSY-1001'))!;
    const outcome = await runFileImport(hyphenated, worksheet(), {
      format: 'moodle-grading-worksheet',
      filename: 'Grades-PSY-1001-Essay 1-662.csv',
      by: { userId: 't1', name: 'Tess Teacher' },
      via: 'upload',
      now: () => new Date(),
    });
    expect(outcome.ok).toBe(true);
    expect((await listAssignments(hyphenated.id)).map((a) => a.title)).toEqual(['Essay 1']);
  });

  it('when a worksheet has neither its Moodle file name nor an assignment name, then the run fails with what to do and stores nothing', async () => {
    const events = await EngagementEventModel.countDocuments({});
    const outcome = await importFile('moodle-grading-worksheet', worksheet(), { filename: 'download.csv' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toMatch(/Which assignment is this worksheet for/);
    expect((await findImportRun(module.id, outcome.runId))).toMatchObject({ status: 'failed' });
    expect(await EngagementEventModel.countDocuments({})).toBe(events);
  });
});
