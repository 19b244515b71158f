// A module with a roster, a teaching period around today and Moodle activity, for analytics and staff-page tests.
import { DateTime } from 'luxon';
import { TestBrowser, type BrowserPage, type MemberInput } from '../../platform';
import { startTestTool, type RunningTool } from '../../support/test-tool';
import { registerManually, type Registration } from '../../support/registered-platform';
import { ROLE } from '../../support/lti-roles';
import { moodleLogCsv, type LogRow } from '../../support/moodle-log-builder';
import { importActivityFile, type ImportReport } from '../../../src/ingest/activity-file-import';
import { rebuildModuleRollups } from '../../../src/ingest/daily-rollup';
import { insertEvents } from '../../../src/store/event-repository';
import { upsertAssignment, upsertSubmission } from '../../../src/store/assignment-repository';
import type { Source } from '../../../src/store/types';
import { findModule, getModuleById } from '../../../src/store/module-repository';
import { findMemberByUserId } from '../../../src/store/member-repository';
import { saveModuleSettings } from '../../../src/store/module-settings-repository';
import type { ModuleCalendar } from '../../../src/engagement';
import type { Module } from '../../../src/store/types';
import { appUrl } from '../../support/app-url';

export const ZONE = 'Europe/London';

/** A 12-week period whose seventh week is this week, so six complete weeks can be judged. */
export function periodAroundToday(now = new Date()): ModuleCalendar {
  const monday = DateTime.fromJSDate(now, { zone: ZONE }).startOf('week').minus({ weeks: 6 });
  return { timeZone: ZONE, start: monday.toISODate()!, end: monday.plus({ weeks: 12 }).minus({ days: 1 }).toISODate()!, nonTeachingWeeks: [] };
}

/** Day `offset` of the period (0 = its first Monday) at 10:00 London time. */
export function periodDay(calendar: ModuleCalendar, offset: number, hour = 10): Date {
  return DateTime.fromISO(calendar.start, { zone: ZONE }).plus({ days: offset, hours: hour }).toJSDate();
}

/** Days of the period from `from` up to yesterday (offsets), `perWeek` weekdays in each week. */
export function steadyDays(calendar: ModuleCalendar, perWeek: number, from = 0, until = daysSoFar(calendar)): number[] {
  const days: number[] = [];
  for (let d = from; d < until; d++) if (d % 7 < perWeek) days.push(d);
  return days;
}

export function daysSoFar(calendar: ModuleCalendar, now = new Date()): number {
  return Math.floor(DateTime.fromJSDate(now, { zone: ZONE }).startOf('day').diff(DateTime.fromISO(calendar.start, { zone: ZONE }), 'days').days);
}

export interface FixtureLearner extends Omit<MemberInput, 'roles'> {
  userId: string;
  name: string;
  /** Day offsets with Moodle activity. */
  vleDays?: number[];
  roles?: string[];
}

export interface EngagementModule {
  tool: RunningTool;
  reg: Registration;
  courseId: string;
  calendar: ModuleCalendar;
  module(): Promise<Module>;
  memberId(userId: string): Promise<string>;
  launch(userId: string, roles: string[], extra?: { mentorScope?: string[] }, browser?: TestBrowser): Promise<BrowserPage>;
  open(browser: TestBrowser, path: string, ltik: string, query?: Record<string, string>): Promise<BrowserPage>;
  importVle(rows: LogRow[], importId: string): Promise<ImportReport>;
  /** Events from another source (Teams, Echo360) on the given day offsets, then the rollups rebuilt. */
  addActivity(userId: string, source: Source, offsets: readonly number[], minutes?: number): Promise<void>;
  /** An assignment due on a day offset, submitted by the given users (offsets of their submission). */
  addAssignment(title: string, dueOffset: number, submittedBy: Record<string, number>): Promise<void>;
  close(): Promise<void>;
}

export function ltikOf(page: BrowserPage): string {
  const ltik = new URL(page.url).searchParams.get('ltik');
  if (!ltik) throw new Error(`No launch token on ${page.url} (status ${page.status})`);
  return ltik;
}

export function vleRows(calendar: ModuleCalendar, learner: { userId: string; name: string }, offsets: readonly number[]): LogRow[] {
  return offsets.map((offset) => ({ at: periodDay(calendar, offset), userId: learner.userId, fullName: learner.name }));
}

/**
 * Starts Waymark and a platform with one course: a teacher (t1) and the given learners. The teacher's launch
 * syncs the roster; the period is set around today and each learner's Moodle activity imported.
 */
export async function startEngagementModule(opts: {
  courseId: string;
  title: string;
  learners: FixtureLearner[];
  staff?: MemberInput[];
  nrpsPageSize?: number;
  env?: Record<string, string>;
  /** Changes to the period around today, e.g. a reading week. */
  adjustCalendar?: (calendar: ModuleCalendar) => ModuleCalendar;
}): Promise<EngagementModule> {
  const tool = await startTestTool({ LOG_LEVEL: 'error', ...opts.env });
  const reg = await registerManually(tool, { nrpsPageSize: opts.nrpsPageSize });
  const calendar = (opts.adjustCalendar ?? ((c: ModuleCalendar) => c))(periodAroundToday());
  reg.platform.addCourse({ id: opts.courseId, title: opts.title, label: opts.courseId });
  reg.platform.addMember(opts.courseId, { userId: 't1', name: 'Tess Teacher', email: 'tess@example.ac.uk', roles: ['Instructor'] });
  for (const member of opts.staff ?? []) reg.platform.addMember(opts.courseId, member);
  for (const { vleDays: _days, ...learner } of opts.learners) reg.platform.addMember(opts.courseId, { roles: ['Learner'], ...learner });

  const launch = (userId: string, roles: string[], extra: { mentorScope?: string[] } = {}, browser = new TestBrowser()) =>
    browser.launch(reg.platform, { clientId: reg.clientId, deploymentId: reg.deploymentId, courseId: opts.courseId, userId, roles, ...extra });
  const first = await launch('t1', [ROLE.instructor]);
  if (first.status !== 200) throw new Error(`Teacher launch failed with ${first.status}`);

  const platform = await tool.waymark.lti.findPlatform(reg.platform.issuer, reg.clientId);
  const platformId = await platform!.platformId();
  const moduleId = (await findModule(platformId, opts.courseId))!.id;
  const module = async () => (await getModuleById(moduleId))!;
  await saveModuleSettings(moduleId, { calendar, markers: null, thresholds: {}, expectationsText: '', contactText: '' }, 't1');

  const importVle = async (rows: LogRow[], importId: string) => importActivityFile(await module(), Buffer.from(moodleLogCsv(rows)), { format: 'moodle-course-log', importId });
  const rows = opts.learners.flatMap((l) => vleRows(calendar, l, l.vleDays ?? []));
  if (rows.length > 0) await importVle(rows, 'fixture');

  return {
    tool,
    reg,
    courseId: opts.courseId,
    calendar,
    module,
    async memberId(userId) {
      const member = await findMemberByUserId(moduleId, userId);
      if (!member) throw new Error(`No member ${userId}`);
      return member.id;
    },
    launch,
    open: (browser, path, ltik, query = {}) => browser.get(appUrl(tool.baseUrl, path, ltik, query)),
    importVle,
    async addActivity(userId, source, offsets, minutes = 0) {
      const memberId = (await findMemberByUserId(moduleId, userId))!.id;
      await insertEvents(
        offsets.map((offset) => ({ moduleId, memberId, source, sourceId: `${source}-${userId}-${offset}`, occurredAt: periodDay(calendar, offset, 14), count: 1, minutes, detail: {} })),
      );
      await rebuildModuleRollups(moduleId, ZONE);
    },
    async addAssignment(title, dueOffset, submittedBy) {
      const assignment = await upsertAssignment({ moduleId, key: `fixture-${title}`, title, dueAt: periodDay(calendar, dueOffset, 12), origin: 'staff' });
      for (const [userId, offset] of Object.entries(submittedBy)) {
        const memberId = (await findMemberByUserId(moduleId, userId))!.id;
        await upsertSubmission({ moduleId, assignmentId: assignment.id, memberId, submitted: true, submittedAt: periodDay(calendar, offset, 11), late: offset > dueOffset, status: 'submitted', origin: 'file' });
      }
    },
    async close() {
      await reg.platform.close();
      await tool.close();
    },
  };
}
