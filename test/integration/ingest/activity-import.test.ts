import { TestBrowser } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { moodleLogCsv, type LogRow } from '../../support/moodle-log-builder';
import { importActivityFile } from '../../../src/ingest/activity-file-import';
import { rebuildModuleRollups } from '../../../src/ingest/daily-rollup';
import { listModuleRollups } from '../../../src/store/daily-activity-repository';
import { findModule } from '../../../src/store/module-repository';
import { EngagementEventModel } from '../../../src/store/models/engagement-event-model';
import type { Module } from '../../../src/store/types';

const sortRows = <T extends { memberId: string; day: string; source: string }>(rows: T[]) =>
  [...rows].sort((a, b) => `${a.memberId}${a.day}${a.source}`.localeCompare(`${b.memberId}${b.day}${b.source}`));

describe('activity file import', () => {
  let tool: RunningTool;
  let reg: Registration;
  let module: Module;

  beforeAll(async () => {
    tool = await startTestTool({ LOG_LEVEL: 'error' });
    reg = await registerManually(tool);
    reg.platform.addCourse({ id: 'STAT1', title: 'Statistics I' });
    reg.platform.addMember('STAT1', { userId: 't1', name: 'Tess Teacher', roles: ['Instructor'] });
    reg.platform.addMember('STAT1', { userId: '1001', name: 'Ada Lovelace', email: 'ada@example.ac.uk', roles: ['Learner'] });
    reg.platform.addMember('STAT1', { userId: '1002', name: 'Alan Turing', email: 'alan@example.ac.uk', roles: ['Learner'] });
    await new TestBrowser().launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: 'STAT1', userId: 't1', roles: [ROLE.instructor] });
    const platform = await tool.waymark.lti.findPlatform(reg.platform.issuer, reg.clientId);
    module = (await findModule(await platform!.platformId(), 'STAT1'))!;
  });

  afterAll(async () => {
    await reg.platform.close();
    await tool.close();
  });

  const rows: LogRow[] = [
    { at: new Date('2026-10-05T09:00:00Z'), userId: '1001', fullName: 'Ada Lovelace' },
    { at: new Date('2026-10-05T09:00:00Z'), userId: '1001', fullName: 'Ada Lovelace' }, // a real double click: kept twice
    { at: new Date('2026-10-05T23:30:00Z'), userId: '1001', fullName: 'Ada Lovelace' }, // 00:30 on the 6th in London (BST)
    { at: new Date('2026-10-07T12:00:00Z'), userId: '1002', fullName: 'Alan Turing' },
    { at: new Date('2026-10-07T12:05:00Z'), userId: '9999', fullName: 'Not Enrolled' },
  ];
  const malformed = '"not a date","Ada Lovelace",-,"Page: x",Page,"Course module viewed","The user with id \'1001\' viewed the page.",web,10.0.0.1';

  it('when a Moodle log is imported, then matched rows become events and rollups, and unmatched and bad rows are listed', async () => {
    const report = await importActivityFile(module, Buffer.from(moodleLogCsv(rows, [malformed])), { format: 'moodle-course-log', importId: 'first' });
    expect(report.imported).toBe(4);
    expect(report.unmatchedCount).toBe(1);
    expect(report.unmatched[0]!.person).toContain('9999');
    expect(report.failedCount).toBe(1);
    expect(report.failed[0]!.line).toBeGreaterThan(1);
    const vle = (await listModuleRollups(module.id)).filter((r) => r.source === 'vle');
    expect(vle.map((r) => `${r.day}:${r.count}`).sort()).toEqual(['2026-10-05:2', '2026-10-06:1', '2026-10-07:1']);
  });

  it('when the same file is imported again, then nothing is added or changed', async () => {
    const before = await EngagementEventModel.countDocuments({});
    const rollupsBefore = sortRows(await listModuleRollups(module.id));
    const report = await importActivityFile(module, Buffer.from(moodleLogCsv(rows, [malformed])), { format: 'moodle-course-log', importId: 'second' });
    expect(report.imported).toBe(0);
    expect(report.alreadyStored).toBe(4);
    expect(await EngagementEventModel.countDocuments({})).toBe(before);
    expect(sortRows(await listModuleRollups(module.id))).toEqual(rollupsBefore);
  });

  const echo360 = (views: number) =>
    Buffer.from(
      [
        '"Student Name","Student Email","Student User ID","Section Name","Class","Lesson Date","Video Views","Video View %"',
        `"Ada Lovelace","ada@example.ac.uk","al1001","STAT1 Lecture","Lecture 2: Variance","2026-10-08","${views}","50"`,
        '"Alan Turing","alan@example.ac.uk","at1002","STAT1 Lecture","Lecture 2: Variance","2026-10-08","1","10"',
      ].join('\n'),
    );
  const recordingRollups = async () => (await listModuleRollups(module.id)).filter((r) => r.source === 'recording').map((r) => r.count).sort();

  it('when a later Echo360 export counts more views for a viewer, class and day, then the stored count and the day total are raised, not kept or doubled', async () => {
    await importActivityFile(module, echo360(2), { format: 'echo360', importId: 'echo-first' });
    expect(await recordingRollups()).toEqual([1, 2]);

    const later = await importActivityFile(module, echo360(5), { format: 'echo360', importId: 'echo-later' });
    expect(later).toMatchObject({ imported: 1, alreadyStored: 1 });
    expect(later.notes.join(' ')).toContain('1 stored total was raised');
    expect(await EngagementEventModel.countDocuments({ source: 'recording' })).toBe(2);
    expect(await recordingRollups()).toEqual([1, 5]);

    // An earlier export imported afterwards lowers nothing.
    const older = await importActivityFile(module, echo360(2), { format: 'echo360', importId: 'echo-older' });
    expect(older).toMatchObject({ imported: 0, alreadyStored: 2 });
    expect(await recordingRollups()).toEqual([1, 5]);
  });

  it('when the rollups are rebuilt from events, then they equal the incremental result', async () => {
    const incremental = sortRows(await listModuleRollups(module.id));
    await rebuildModuleRollups(module.id, module.timeZone);
    expect(sortRows(await listModuleRollups(module.id))).toEqual(incremental);
  });
});
