import type { DemoCohort, DemoLearner } from './demo-cohort';
import type { OuladAssessmentDue } from './oulad-demo-source';
import { chance, pick } from './seeded-random';
import { READING_WEEK, TERM_DAYS, TERM_WEEKS, firstDayOfWeek, termDate, termDayOf, termInstant, weekOfDay, type DemoTerm } from './demo-term';
import type { CourseLogView } from './moodle-course-log-writer';
import type { TeamsMeeting } from './teams-attendance-writer';
import type { Echo360ClassRow } from './echo360-export-writer';

// Turns the cohort's real OULAD activity into what each source would hold by `now`: Moodle log views, Teams
// seminars, Echo360 lecture views, Waymark launches and assignment submissions, with the stories applied.
// Nothing after `now` exists yet, so a rerun later in the term adds the days since and changes nothing before.

export interface DemoLaunch {
  learner: DemoLearner;
  at: Date;
  key: string;
}

export interface DemoSubmission {
  learner: DemoLearner;
  at: Date;
  score: number | null;
}

export interface DemoAssignment {
  ouladId: string;
  title: string;
  dueAt: Date;
  submissions: DemoSubmission[];
}

export interface DemoKnownCause {
  learner: DemoLearner;
  from: string;
  to: string;
  reason: string;
}

export interface DemoActivityPlan {
  /** Moodle course-log views, one download per group of learners (Logs › All days, filtered by group). */
  vleByGroup: CourseLogView[][];
  meetings: TeamsMeeting[];
  recordingViews: Echo360ClassRow[];
  launches: DemoLaunch[];
  assignments: DemoAssignment[];
  knownCauses: DemoKnownCause[];
}

const READING_WEEK_SHARE = 0.3;
// Large cohorts download their log per group of learners, keeping each file to about 100,000 rows.
const LEARNERS_PER_LOG = 500;
const SUDDEN_DROP_SHARE = 0.1;
const KNOWN_CAUSE_DAYS = { from: firstDayOfWeek(5), to: firstDayOfWeek(7) - 1 };
const LAUNCH_SHARE_OF_ACTIVE_DAYS = 0.12;
const SEMINAR = { weekday: 1, startMinute: 10 * 60, minutes: 60 };
const LECTURE = { weekday: 0, startMinute: 9 * 60 };
const ASSIGNMENT_TITLES = ['TMA 1: Study skills essay', 'TMA 2: Reflective report', 'TMA 3: Source analysis', 'TMA 4: Project plan', 'TMA 5: Final project'];
const LECTURE_TOPICS = [
  'Welcome and how to study', 'Reading actively', 'Taking notes', 'Finding sources', 'Evaluating evidence', 'Writing an argument',
  'Reading week', 'Referencing', 'Working with data', 'Presenting your work', 'Reflecting on feedback', 'Planning the final project',
];

/** How much of a learner's real activity on a day survives their story (and the reading week), 0..1. */
function keptShare(learner: DemoLearner, day: number, today: number): number {
  const week = weekOfDay(day);
  const reading = week === READING_WEEK ? READING_WEEK_SHARE : 1;
  switch (learner.story) {
    case 'fades':
      return reading * (week <= 3 ? 1 : week === 4 ? 0.6 : week === 5 ? 0.35 : week === 6 ? 0.15 : 0);
    case 'sudden-drop':
      return reading * (week >= weekOfDay(today) - 1 ? SUDDEN_DROP_SHARE : 1);
    case 'known-cause':
      return day >= KNOWN_CAUSE_DAYS.from && day <= KNOWN_CAUSE_DAYS.to ? 0 : reading;
    default:
      return reading;
  }
}

function keeps(learner: DemoLearner, day: number, today: number, ...what: Array<string | number>): boolean {
  // Copies of an OULAD student (cohorts above 376) each lose a different tenth of its rows, so no two are identical.
  if (learner.copy > 0 && chance('copy', learner.userId, day, ...what) < 0.1) return false;
  return chance('keep', learner.userId, day, ...what) < keptShare(learner, day, today);
}

function isPast(at: Date, now: Date): boolean {
  return at.getTime() < now.getTime();
}

export function planDemoActivity(cohort: DemoCohort, assessments: readonly OuladAssessmentDue[], term: DemoTerm, now: Date): DemoActivityPlan {
  const today = termDayOf(term, now);
  const vleByGroup: CourseLogView[][] = [];
  const launches: DemoLaunch[] = [];
  /** learner -> week -> days with VLE activity, which drive seminar attendance and lecture viewing. */
  const activeDays = new Map<string, Map<number, Set<number>>>();

  for (const learner of cohort.learners) {
    const weeks = new Map<number, Set<number>>();
    activeDays.set(learner.userId, weeks);
    const launchedOn = new Set<number>();
    for (const visit of learner.source.visits) {
      if (!keeps(learner, visit.day, today, visit.siteId)) continue;
      const minute = pick(7 * 60, 23 * 60 + 29, 'vle-minute', learner.userId, visit.day, visit.siteId);
      const at = termInstant(term, visit.day, minute, pick(0, 59, 'vle-second', learner.userId, visit.day, visit.siteId));
      if (!isPast(at, now)) continue;
      const week = weekOfDay(visit.day);
      const group = Math.floor(learner.index / LEARNERS_PER_LOG);
      (vleByGroup[group] ??= []).push({ at, userId: learner.userId, fullName: learner.name, courseModuleId: visit.siteId, activityType: visit.activityType });
      if (!weeks.has(week)) weeks.set(week, new Set());
      weeks.get(week)!.add(visit.day);
      if (!launchedOn.has(visit.day) && chance('launch', learner.userId, visit.day) < LAUNCH_SHARE_OF_ACTIVE_DAYS) {
        launchedOn.add(visit.day);
        launches.push({ learner, at: new Date(at.getTime() + 2 * 60_000), key: `${learner.userId}:${termDate(term, visit.day)}` });
      }
    }
  }

  const meetings: TeamsMeeting[] = [];
  const recordingViews: Echo360ClassRow[] = [];
  for (let week = 1; week <= TERM_WEEKS; week++) {
    if (week === READING_WEEK) continue;
    const seminarDay = firstDayOfWeek(week) + SEMINAR.weekday;
    const startedAt = termInstant(term, seminarDay, SEMINAR.startMinute);
    const endedAt = termInstant(term, seminarDay, SEMINAR.startMinute + SEMINAR.minutes);
    if (isPast(endedAt, now)) {
      const attendees: TeamsMeeting['attendees'][number][] = [
        { name: cohort.teacher.name, email: cohort.teacher.email, upn: cohort.teacher.email, joinedAt: startedAt, leftAt: endedAt, role: 'Organizer' },
      ];
      for (const learner of cohort.learners) {
        const days = activeDays.get(learner.userId)?.get(week)?.size ?? 0;
        const attends = days > 0 ? Math.min(0.9, 0.3 + 0.1 * days) : 0.03;
        if (chance('seminar', learner.userId, week) >= attends) continue;
        const joinedAt = new Date(startedAt.getTime() + pick(0, 9, 'join', learner.userId, week) * 60_000);
        const leavesEarly = chance('leaves-early', learner.userId, week) < 0.12;
        const leftAt = new Date(endedAt.getTime() - (leavesEarly ? pick(15, 35, 'left', learner.userId, week) : pick(0, 3, 'left', learner.userId, week)) * 60_000);
        attendees.push({ name: learner.name, email: learner.email, upn: learner.email, joinedAt, leftAt, role: 'Attendee' });
      }
      meetings.push({ title: `AAA Week ${week} live seminar`, startedAt, endedAt, attendees });
    }

    const lectureDay = firstDayOfWeek(week) + LECTURE.weekday;
    if (!isPast(termInstant(term, lectureDay, LECTURE.startMinute + 60), now)) continue;
    for (const learner of cohort.learners) {
      const days = activeDays.get(learner.userId)?.get(week)?.size ?? 0;
      const watches = days > 0 && chance('lecture', learner.userId, week) < 0.3 + 0.08 * days;
      recordingViews.push({
        name: learner.name,
        email: learner.email,
        userId: learner.email.split('@')[0]!,
        section: 'AAA-2013J Lectures',
        classTitle: `Week ${week} lecture: ${LECTURE_TOPICS[week - 1]}`,
        lessonDate: termDate(term, lectureDay),
        videoViews: watches ? pick(1, 3, 'views', learner.userId, week) : 0,
      });
    }
  }

  const assignments: DemoAssignment[] = assessments.map((assessment, i) => {
    const submissions: DemoSubmission[] = [];
    for (const learner of cohort.learners) {
      const submitted = learner.source.submissions.find((s) => s.assessmentId === assessment.id);
      if (!submitted || submitted.day >= TERM_DAYS) continue;
      // A learner who had stopped by then did not submit.
      if (learner.story === 'fades' && keptShare(learner, submitted.day, today) === 0) continue;
      const at = termInstant(term, submitted.day, pick(9 * 60, 22 * 60, 'submitted', learner.userId, assessment.id));
      if (isPast(at, now)) submissions.push({ learner, at, score: submitted.score });
    }
    return { ouladId: assessment.id, title: ASSIGNMENT_TITLES[i] ?? `TMA ${i + 1}`, dueAt: termInstant(term, assessment.dueDay, 12 * 60), submissions };
  });

  const knownCauses = cohort.learners
    .filter((l) => l.story === 'known-cause')
    .map((learner) => ({
      learner,
      from: termDate(term, KNOWN_CAUSE_DAYS.from),
      to: termDate(term, KNOWN_CAUSE_DAYS.to),
      reason: 'Illness; Student Support told the module team',
    }));

  return { vleByGroup: vleByGroup.filter(Boolean), meetings, recordingViews, launches, assignments, knownCauses };
}
