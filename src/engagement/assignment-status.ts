import { dayNumber } from './module-calendar';
import type { ResolvedInstant } from './instant-days';
import type { MemberPresence } from './member-presence';
import type { CalendarFrame } from './teaching-weeks';
import { DAYS_PER_WEEK } from './teaching-weeks';
import type { Assignment, AssignmentDetail, AssignmentIndicators, DayKey, Submission } from './types';

export interface DueAssignment {
  assignment: Assignment;
  dueDay: DayKey | null;
  dueMillis: number | null;
  /** Frame index of the due day, or null when there is no due date. */
  dueIndex: number | null;
}

/** A member's first submission to an assignment; its time is null when the source gave none (a gradebook export). */
export interface FirstSubmission {
  at: string | null;
  millis: number | null;
  day: DayKey | null;
}

/** Assignments in due order and each member's first submission to each, as of today. */
export interface AssignmentBook {
  due: DueAssignment[];
  /** Per member: position in `due` -> first submission on or before today. */
  firstSubmission: Map<number, Map<number, FirstSubmission>>;
  /** Per week index: how many assignments fell due in it (counting only due days before today). */
  dueInWeek: Int32Array;
}

export function buildAssignmentBook(
  assignments: readonly Assignment[],
  submissions: readonly Submission[],
  memberIndex: ReadonlyMap<string, number>,
  frame: CalendarFrame,
  today: DayKey,
  resolve: (instant: string) => ResolvedInstant,
): AssignmentBook {
  const due = assignments.map((assignment) => dueOf(assignment, frame, resolve)).sort(byDueThenId);
  const position = new Map(due.map((entry, i) => [entry.assignment.id, i]));
  const firstSubmission = new Map<number, Map<number, FirstSubmission>>();
  for (const submission of submissions) {
    const m = memberIndex.get(submission.memberId);
    const p = position.get(submission.assignmentId);
    if (m === undefined || p === undefined) continue;
    const first = submission.submittedAt ? { at: submission.submittedAt, ...resolve(submission.submittedAt) } : { at: null, millis: null, day: null };
    if (first.day !== null && first.day > today) continue;
    let mine = firstSubmission.get(m);
    if (!mine) firstSubmission.set(m, (mine = new Map()));
    const earlier = mine.get(p);
    // Lateness is judged on the first submission: a later resubmission should not turn on-time work late. A
    // submission whose time is unknown still counts as handed in, and gives way to any with a time.
    if (!earlier || (first.millis !== null && (earlier.millis === null || first.millis < earlier.millis))) mine.set(p, { at: first.at, millis: first.millis, day: first.day });
  }
  const todayIndex = dayNumber(today) - frame.origin;
  const dueInWeek = new Int32Array(frame.weeks.length);
  for (const entry of due) {
    if (entry.dueIndex === null || entry.dueIndex >= todayIndex || entry.dueIndex < 0 || entry.dueIndex >= frame.dayCount) continue;
    const w = Math.floor(entry.dueIndex / DAYS_PER_WEEK);
    dueInWeek[w] = (dueInWeek[w] as number) + 1;
  }
  return { due, firstSubmission, dueInWeek };
}

function dueOf(assignment: Assignment, frame: CalendarFrame, resolve: (instant: string) => ResolvedInstant): DueAssignment {
  if (!assignment.dueAt) return { assignment, dueDay: null, dueMillis: null, dueIndex: null };
  const { millis, day } = resolve(assignment.dueAt);
  return { assignment, dueDay: day, dueMillis: millis, dueIndex: dayNumber(day) - frame.origin };
}

function byDueThenId(a: DueAssignment, b: DueAssignment): number {
  const ad = a.dueMillis ?? Number.POSITIVE_INFINITY;
  const bd = b.dueMillis ?? Number.POSITIVE_INFINITY;
  if (ad !== bd) return ad < bd ? -1 : 1;
  return a.assignment.id < b.assignment.id ? -1 : a.assignment.id > b.assignment.id ? 1 : 0;
}

/** Expected once its due day is over (today is still running) and only from members enrolled by then. */
export function isExpected(entry: DueAssignment, presence: MemberPresence, m: number, todayIndex: number): boolean {
  return entry.dueIndex !== null && entry.dueIndex < todayIndex && (presence.enrolIndex[m] as number) <= entry.dueIndex;
}

export function assignmentIndicators(book: AssignmentBook, presence: MemberPresence, m: number, todayIndex: number): AssignmentIndicators {
  const mine = book.firstSubmission.get(m);
  const details = book.due.map((entry, p) => detailOf(entry, mine?.get(p), isExpected(entry, presence, m, todayIndex)));
  const expected = details.filter((d) => d.expected);
  const submitted = expected.filter((d) => d.state === 'submitted' || d.state === 'late');
  return {
    expected: expected.length,
    submitted: submitted.length,
    late: submitted.filter((d) => d.state === 'late').length,
    missing: expected.length - submitted.length,
    details,
  };
}

function detailOf(entry: DueAssignment, first: FirstSubmission | undefined, expected: boolean): AssignmentDetail {
  const late = first !== undefined && first.millis !== null && entry.dueMillis !== null && first.millis > entry.dueMillis;
  return {
    assignmentId: entry.assignment.id,
    title: entry.assignment.title,
    dueAt: entry.assignment.dueAt,
    dueDay: entry.dueDay,
    submittedAt: first?.at ?? null,
    submittedDay: first?.day ?? null,
    expected,
    state: first ? (late ? 'late' : 'submitted') : expected ? 'missing' : 'pending',
  };
}

/** Assignments due in week w that member m has submitted by today. */
export function submittedDueInWeek(book: AssignmentBook, m: number, w: number): number {
  const mine = book.firstSubmission.get(m);
  if (!mine) return 0;
  let total = 0;
  for (const [p] of mine) {
    const dueIndex = book.due[p]?.dueIndex;
    if (dueIndex !== null && dueIndex !== undefined && Math.floor(dueIndex / DAYS_PER_WEEK) === w) total++;
  }
  return total;
}
