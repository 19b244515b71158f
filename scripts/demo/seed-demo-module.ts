import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TestBrowser, isConnectionReset, type TestPlatform } from '../../test/platform';
import { importActivityFile, type ActivityFormat, type ImportReport } from '../../src/ingest/activity-file-import';
import { TouchedDays, recomputeMemberDays, rebuildModuleRollups } from '../../src/ingest/daily-rollup';
import { recomputeModuleAnalysis } from '../../src/reports/module-analysis-service';
import { findPlatformProfileByIssuer } from '../../src/store/platform-repository';
import { findModule } from '../../src/store/module-repository';
import { listMembers } from '../../src/store/member-repository';
import { setMemberSponsoredVisa } from '../../src/store/member-flags-repository';
import { getModuleSettings, saveModuleSettings } from '../../src/store/module-settings-repository';
import { addKnownCause, listKnownCauses } from '../../src/store/known-cause-repository';
import { insertEvents, countModuleEventsBySource, type NewEngagementEvent } from '../../src/store/event-repository';
import { listModuleRollups } from '../../src/store/daily-activity-repository';
import { listAssignments, listSubmissions } from '../../src/store/assignment-repository';
import { type Member, type Module, type Source } from '../../src/store/types';
import { buildDemoCohort, DEMO_COURSE, type DemoCohort } from './demo-cohort';
import { planDemoActivity, type DemoActivityPlan } from './demo-activity-plan';
import { demoCalendar, termEndingSoonAfter, TERM_DAYS, type DemoTerm } from './demo-term';
import { DEFAULT_OULAD_FOLDER, readOuladForDemo } from './oulad-demo-source';
import { moodleCourseLog } from './moodle-course-log-writer';
import { teamsAttendanceReport, teamsReportFilename } from './teams-attendance-writer';
import { echo360ClassAnalytics } from './echo360-export-writer';
import { launchLink } from './demo-links';
import { ROLE } from '../../test/platform';
import type { DemoRegistration } from './demo-registration';

// Seeds the demo module end to end through Waymark's own paths: the platform's roster and gradebook reach Waymark
// by a real teacher launch (NRPS and AGS sync), activity arrives as the files staff would upload (Moodle course
// log, Teams attendance reports, Echo360 export) through importActivityFile. Every step is idempotent.

export const DEFAULT_DEMO_LEARNERS = 200;
// The gradebook sync writes one submission per result; on a database that scans that grows with the cohort.
const SYNC_WAIT_MS = 180_000;
const SYNC_WAIT_PER_LEARNER_MS = 600;
const LAUNCH_BATCH = 20_000;
const BULK_BATCH = 20_000;
const INSTRUCTOR = ROLE.instructor;

export interface SeedDemoOptions {
  platform: TestPlatform;
  registration: DemoRegistration;
  learners?: number;
  now?: Date;
  ouladFolder?: string;
  /** Also write the generated export files here, for people to look at or import by hand. */
  saveFilesTo?: string;
  /**
   * 'files' (the demo) sends activity through the importers; 'bulk' (benchmarks at thousands of learners) writes the
   * same activity as events in large batches and rebuilds the rollups once, because the importers are benchmarked
   * on their own and per-file rollup updates would dominate seeding time.
   */
  via?: 'files' | 'bulk';
  /** Leave a module that already has its activity as it is (benchmarks reusing a seeded database). */
  skipIfSeeded?: boolean;
  log?: (line: string) => void;
}

export interface DemoCounts {
  members: number;
  eventsBySource: Record<Source, number>;
  events: number;
  dailyRows: number;
  assignments: number;
  submissions: number;
  knownCauses: number;
  sponsoredVisa: number;
}

export interface SeedDemoResult {
  module: Module;
  cohort: DemoCohort;
  term: DemoTerm;
  imports: Array<{ file: string; report: ImportReport }>;
  counts: DemoCounts;
  seconds: number;
}

/** Platforms already given the demo course: the simulated Moodle keeps them in memory for its lifetime. */
const stockedLineItems = new WeakMap<TestPlatform, Map<string, string>>();

function stockPlatform(platform: TestPlatform, clientId: string, cohort: DemoCohort, plan: DemoActivityPlan): void {
  let lineItems = stockedLineItems.get(platform);
  if (!lineItems) {
    platform.addCourse({ id: DEMO_COURSE.id, title: DEMO_COURSE.title, label: DEMO_COURSE.label });
    stockedLineItems.set(platform, (lineItems = new Map()));
  }
  const staff: Array<[DemoCohort['teacher'], string]> = [[cohort.teacher, 'Instructor'], [cohort.tutor, 'Instructor'], [cohort.mentor, 'Mentor'], [cohort.designer, 'ContentDeveloper']];
  for (const [p, role] of staff) platform.addMember(DEMO_COURSE.id, { userId: p.userId, name: p.name, givenName: p.givenName, familyName: p.familyName, email: p.email, roles: [role] });
  for (const l of cohort.learners) {
    platform.addMember(DEMO_COURSE.id, { userId: l.userId, name: l.name, givenName: l.givenName, familyName: l.familyName, email: l.email, sourcedId: l.sourcedId, roles: ['Learner'] });
  }
  for (const assignment of plan.assignments) {
    let id = lineItems.get(assignment.ouladId);
    if (!id) {
      id = platform.addLineItem(DEMO_COURSE.id, { label: assignment.title, scoreMaximum: 100, endDateTime: assignment.dueAt.toISOString(), resourceId: `oulad-${assignment.ouladId}`, tag: 'tma', clientId });
      lineItems.set(assignment.ouladId, id);
    }
    for (const s of assignment.submissions) {
      platform.addResult(DEMO_COURSE.id, id, { userId: s.learner.userId, resultScore: s.score ?? undefined, resultMaximum: 100, timestamp: s.at.toISOString() });
    }
  }
}

// Login initiation, the platform's authentication response, and the id token posted to Waymark: three requests.
const LAUNCH_REQUESTS = 3;

/**
 * A teacher's launch that stops once Waymark has verified it (and started the roster and gradebook sync), before the
 * dashboard opens: at thousands of learners the dashboard's first analysis would overlap the sync, which FerretDB v1
 * does not survive (see docs/scaling.md).
 */
async function launchWithoutOpeningThePage(platform: TestPlatform, registration: DemoRegistration, userId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const browser = new TestBrowser({ maxSteps: LAUNCH_REQUESTS });
    const outcome = await browser
      .launch(platform, { clientId: registration.clientId, deploymentId: registration.deploymentId, courseId: DEMO_COURSE.id, userId, roles: [INSTRUCTOR] })
      .then((page) => new Error(`The teacher's launch stopped early at ${page.url} (HTTP ${page.status}).`), (err: unknown) => err as Error);
    if (outcome.message.startsWith('TestBrowser gave up')) return;
    // A keep-alive connection the server closed while seeding read its data resets the next POST: launch again.
    if (!isConnectionReset(outcome) || attempt >= 3) throw outcome;
  }
}

async function waitForPlatformSync(platformId: string, expectedMembers: number): Promise<Module> {
  const waitMs = SYNC_WAIT_MS + expectedMembers * SYNC_WAIT_PER_LEARNER_MS;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const module = await findModule(platformId, DEMO_COURSE.id);
    const members = module ? (await listMembers(module.id)).length : 0;
    if (module && members >= expectedMembers && module.rosterSyncedAt && (module.assignmentsSyncedAt || module.assignmentsSyncError)) return module;
    if (Date.now() > deadline) throw new Error(`Waymark's roster and gradebook sync had not finished after ${waitMs / 1000} s (${members} of ${expectedMembers} members).`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Rollups are recomputed per member after each batch, so a whole file in one batch recomputes each member once. */
async function importFile(module: Module, file: string, format: ActivityFormat, bytes: Buffer, saveTo: string | undefined, rows = 0): Promise<{ file: string; report: ImportReport }> {
  if (saveTo) fs.writeFileSync(path.join(saveTo, file), bytes);
  const report = await importActivityFile(module, bytes, { format, filename: file, importId: `demo:${file}`, ...(rows > 0 ? { batchSize: rows } : {}) });
  return { file, report };
}

/** Benchmark seeding: the planned activity as events, with source ids of their own, in large batches. */
async function storeActivityInBulk(module: Module, plan: DemoActivityPlan, byUserId: Map<string, Member>): Promise<void> {
  const events: NewEngagementEvent[] = [];
  const add = (userId: string, source: Source, sourceId: string, occurredAt: Date, count: number, minutes: number) => {
    const member = byUserId.get(userId);
    if (member) events.push({ moduleId: module.id, memberId: member.id, source, sourceId, occurredAt, count, minutes, detail: {} });
  };
  for (const views of plan.vleByGroup) {
    for (const v of views) add(v.userId, 'vle', `bulk-vle:${v.userId}:${v.at.toISOString()}:${v.courseModuleId}`, v.at, 1, 0);
  }
  const byEmail = new Map([...byUserId.values()].map((m) => [m.email, m.userId]));
  for (const meeting of plan.meetings) {
    for (const a of meeting.attendees) {
      const userId = byEmail.get(a.email);
      if (userId && a.role === 'Attendee') add(userId, 'meeting', `bulk-meeting:${meeting.title}:${userId}`, a.joinedAt, 1, (a.leftAt.getTime() - a.joinedAt.getTime()) / 60_000);
    }
  }
  for (const r of plan.recordingViews) {
    const userId = byEmail.get(r.email);
    if (userId && r.videoViews > 0) add(userId, 'recording', `bulk-recording:${r.classTitle}:${userId}`, new Date(`${r.lessonDate}T12:00:00Z`), r.videoViews, 0);
  }
  for (let i = 0; i < events.length; i += BULK_BATCH) await insertEvents(events.slice(i, i + BULK_BATCH));
}

/** Launch history: Waymark records a launch as it happens, so past ones are written as the recorder writes them. */
async function storeLaunchHistory(module: Module, plan: DemoActivityPlan, byUserId: Map<string, Member>): Promise<number> {
  let added = 0;
  for (let i = 0; i < plan.launches.length; i += LAUNCH_BATCH) {
    const touched = new TouchedDays(module.timeZone);
    const events = plan.launches.slice(i, i + LAUNCH_BATCH).flatMap((launch) => {
      const member = byUserId.get(launch.learner.userId);
      if (!member) return [];
      touched.add(member.id, launch.at);
      return [{ moduleId: module.id, memberId: member.id, source: 'launch' as const, sourceId: `demo-launch:${launch.key}`, occurredAt: launch.at, count: 1, minutes: 0, detail: {} }];
    });
    added += await insertEvents(events);
    await recomputeMemberDays(module.id, touched, module.timeZone);
  }
  return added;
}

async function countModule(module: Module): Promise<DemoCounts> {
  const members = await listMembers(module.id);
  const eventsBySource = await countModuleEventsBySource(module.id);
  return {
    members: members.length,
    eventsBySource,
    events: Object.values(eventsBySource).reduce((a, b) => a + b, 0),
    dailyRows: (await listModuleRollups(module.id)).length,
    assignments: (await listAssignments(module.id)).length,
    submissions: (await listSubmissions(module.id)).length,
    knownCauses: (await listKnownCauses(module.id)).length,
    sponsoredVisa: members.filter((m) => m.sponsoredVisa).length,
  };
}

export async function seedDemoModule(o: SeedDemoOptions): Promise<SeedDemoResult> {
  const started = performance.now();
  const log = (line: string) => o.log?.(`${line} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const now = o.now ?? new Date();
  const { platform, registration } = o;

  const source = await readOuladForDemo(o.ouladFolder ?? DEFAULT_OULAD_FOLDER, TERM_DAYS);
  const cohort = buildDemoCohort(o.learners ?? DEFAULT_DEMO_LEARNERS, source.students);
  const profile = await findPlatformProfileByIssuer(platform.issuer, registration.clientId);
  if (!profile) throw new Error(`Waymark has no registration for ${platform.issuer}: register the demo platform first.`);

  // A rerun keeps the term the first run chose, so every generated row comes out the same.
  const existing = await findModule(profile.platformId, DEMO_COURSE.id);
  const settings = existing ? await getModuleSettings(existing.id, existing.createdAt, existing.timeZone) : null;
  const term: DemoTerm = settings && !settings.calendarInferred ? { start: settings.calendar.start, timeZone: settings.calendar.timeZone } : termEndingSoonAfter(now);
  const plan = planDemoActivity(cohort, source.assessments, term, now);

  stockPlatform(platform, registration.clientId, cohort, plan);
  log(`Demo Moodle has ${DEMO_COURSE.title}: ${cohort.learners.length} learners, 4 staff, ${plan.assignments.length} assignments in its gradebook`);

  // A teacher's launch makes Waymark sync the roster and gradebook; a rerun that finds them complete adds no launch.
  const expectedMembers = cohort.learners.length + 4;
  const synced = existing && (existing.assignmentsSyncedAt || existing.assignmentsSyncError) && (await listMembers(existing.id)).length >= expectedMembers;
  let module: Module;
  if (synced) {
    module = existing;
    log('Waymark already has the roster and gradebook of this module');
  } else {
    if (o.via === 'bulk') await launchWithoutOpeningThePage(platform, registration, cohort.teacher.userId);
    else {
      const teacherLaunch = await new TestBrowser().get(launchLink(platform.issuer, registration.clientId, cohort.teacher.userId));
      if (teacherLaunch.status !== 200) throw new Error(`The teacher's launch into Waymark failed (HTTP ${teacherLaunch.status}).`);
    }
    module = await waitForPlatformSync(profile.platformId, expectedMembers);
    // The teacher's dashboard started an analysis; writing activity while it runs has deadlocked FerretDB v1.
    await recomputeModuleAnalysis(module.id, now);
    log('Teacher launched; Waymark synced the roster (NRPS) and the gradebook (AGS)');
  }

  await saveModuleSettings(
    module.id,
    {
      calendar: demoCalendar(term),
      markers: null,
      thresholds: {},
      expectationsText: 'Visit the module site several times a week, join the weekly live seminar, watch each lecture and submit every TMA by its due date.',
      contactText: `If things are getting hard, talk to your personal tutor ${cohort.mentor.name} (${cohort.mentor.email}) or the module team.`,
    },
    cohort.teacher.userId,
  );
  const members = await listMembers(module.id);
  const byUserId = new Map(members.map((m) => [m.userId, m]));
  for (const learner of cohort.learners) {
    const member = byUserId.get(learner.userId);
    if (member && member.sponsoredVisa !== learner.sponsoredVisa) await setMemberSponsoredVisa(module.id, member.id, learner.sponsoredVisa);
  }

  if (o.saveFilesTo) fs.mkdirSync(o.saveFilesTo, { recursive: true });
  const seededBefore = o.skipIfSeeded && synced ? await countModule(module) : null;
  if (seededBefore && seededBefore.eventsBySource.vle > 0) {
    log(`Reusing the module seeded before: ${seededBefore.events} events`);
    return { module, cohort, term, imports: [], counts: seededBefore, seconds: Math.round((performance.now() - started) / 100) / 10 };
  }
  if (o.via === 'bulk') {
    await storeActivityInBulk(module, plan, byUserId);
    await storeLaunchHistory(module, plan, byUserId);
    await rebuildModuleRollups(module.id, module.timeZone);
    log('Stored the activity of every source in bulk and rebuilt the rollups');
    return finish(module, cohort, term, [], plan, byUserId, now, started, log);
  }

  // The small sources first: each import recomputes the rollups of every member it touches, and on a database that
  // scans (FerretDB v1 pushes no filter down) that costs less while the events collection is still small.
  const imports: SeedDemoResult['imports'] = [];
  for (const meeting of plan.meetings) {
    imports.push(await importFile(module, teamsReportFilename(meeting, term.timeZone), 'teams-attendance', teamsAttendanceReport(meeting, term.timeZone), o.saveFilesTo));
  }
  log(`Imported ${plan.meetings.length} Teams attendance reports`);
  if (plan.recordingViews.length > 0) imports.push(await importFile(module, 'echo360-class-analytics.csv', 'echo360', echo360ClassAnalytics(plan.recordingViews), o.saveFilesTo));
  const launchesAdded = await storeLaunchHistory(module, plan, byUserId);
  log(`Imported the Echo360 lecture views and stored ${plan.launches.length} past launches (${launchesAdded} new)`);
  for (const [group, views] of plan.vleByGroup.entries()) {
    const file = plan.vleByGroup.length === 1 ? 'moodle-course-log.csv' : `moodle-course-log-group-${String(group + 1).padStart(2, '0')}.csv`;
    imports.push(await importFile(module, file, 'moodle-course-log', moodleCourseLog(views, DEMO_COURSE.id, term.timeZone), o.saveFilesTo, views.length));
  }
  log(`Imported the Moodle course log${plan.vleByGroup.length === 1 ? '' : `s of ${plan.vleByGroup.length} groups`} (OULAD VLE activity)`);

  return finish(module, cohort, term, imports, plan, byUserId, now, started, log);
}

async function finish(
  module: Module,
  cohort: DemoCohort,
  term: DemoTerm,
  imports: SeedDemoResult['imports'],
  plan: DemoActivityPlan,
  byUserId: Map<string, Member>,
  now: Date,
  started: number,
  log: (line: string) => void,
): Promise<SeedDemoResult> {
  const causes = await listKnownCauses(module.id);
  for (const cause of plan.knownCauses) {
    const member = byUserId.get(cause.learner.userId);
    if (!member || causes.some((c) => c.memberId === member.id && c.from === cause.from && c.to === cause.to)) continue;
    await addKnownCause({ moduleId: module.id, memberId: member.id, from: cause.from, to: cause.to, reason: cause.reason, createdByUserId: cohort.teacher.userId, createdByName: cohort.teacher.name });
  }

  await recomputeModuleAnalysis(module.id, now);
  const counts = await countModule(module);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  log(`Seeded in ${seconds} s: ${counts.events} events, ${counts.dailyRows} daily rows, ${counts.submissions} submissions`);
  return { module, cohort, term, imports, counts, seconds };
}
