// Replays one OULAD module presentation day by day through analyseModule, as if Waymark had been live, and
// reports how early the alerts flag students who later withdrew and how often they flag students who passed.
// The VLE activity comes in as it would in production: written as a Moodle course log, imported by the course-log
// importer into the database and read back from the daily rollups (`--from-csv` reads it straight from the CSV).
// Run: `npm run eval:oulad -- [folder] [--variants] [--plain-calendar] [--presentation=AAA/2013J] [--from-csv]`;
// the last line of output is JSON. Default folder: ../shared/data/oulad/AAA_2013J relative to the repository root.
import { join, resolve } from 'node:path';
import { DateTime } from 'luxon';
import { addDays, analyseModule, DEFAULT_ALERT_THRESHOLDS, DEFAULT_MARKERS, mondayOf } from '../../src/engagement';
import type { AlertThresholds, Assignment, DailyActivity, DayKey, MemberInfo, ModuleCalendar, ModuleMarkers, NonTeachingPeriod, Submission } from '../../src/engagement';
import { readPresentation, type OuladPresentation } from './oulad-csv';
import { exitWithHelpIfAsked } from '../script-help';
import { vleActivityThroughImporters } from './oulad-through-importers';
import { loadConfig } from '../../src/config';

const HELP = `Replay an Open University (OULAD) module presentation day by day through the default alert rules, as if live,
and report how well the alerts pick out the students who later withdrew.

  npm run eval:oulad [-- FOLDER] [--presentation=MODULE/PRESENTATION] [--variants] [--plain-calendar] [--from-csv]

  FOLDER                 an OULAD presentation folder (default ../shared/data/oulad/AAA_2013J)
  --presentation=A/B     which presentation of a full OULAD folder (default: the first)
  --variants             also replay alternative thresholds, for comparison
  --plain-calendar       no Christmas or exam breaks in the calendar
  --from-csv             take the VLE activity straight from the CSV (in memory, no database) instead of as
                         Waymark holds it: a Moodle course log imported into the database (MONGODB_URI, or the
                         embedded MongoDB) and read back from the daily rollups

Ends with one line of JSON: withdrawn, withdrawnFlaggedShare, medianLeadDays, passed, passedFlaggedShare,
alertsPerPassedStudent.`;

const DEFAULT_FOLDER = join(__dirname, '..', '..', '..', 'shared', 'data', 'oulad', 'AAA_2013J');
const TIME_ZONE = 'Europe/London';
/** OU assignments close at noon UK time; OULAD only gives days, so submissions are placed in the morning. */
const DUE_HOUR = 12;
const SUBMITTED_HOUR = 9;
const PASSED_RESULTS = new Set(['Pass', 'Distinction']);

interface Variant {
  name: string;
  markers: ModuleMarkers;
  thresholds: Partial<AlertThresholds>;
}

interface ReplayResult {
  /** Student -> first day (presentation day number) any staff alert was raised. */
  firstAlert: Map<string, number>;
  /** Student -> rule -> first day that rule raised a staff alert. */
  firstByRule: Map<string, Map<string, number>>;
  /** Student -> distinct alert episodes (keys) over the presentation. */
  episodes: Map<string, Set<string>>;
}

interface Figures {
  withdrawn: number;
  withdrawnFlaggedShare: number;
  medianLeadDays: number | null;
  passed: number;
  passedFlaggedShare: number;
  alertsPerPassedStudent: number;
}

/** OU presentations start in February ('B') or October ('J'); we take the first Monday of that month. */
function startDayOf(presentation: string): DayKey {
  const year = Number(presentation.slice(0, 4)) || 2013;
  const month = presentation.slice(4) === 'B' ? 2 : 10;
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: 'utc' });
  return first.plus({ days: (8 - first.weekday) % 7 }).toISODate() as DayKey;
}

function instantOn(day: DayKey, hour: number): string {
  return DateTime.fromISO(day, { zone: TIME_ZONE }).set({ hour }).toUTC().toISO() as string;
}

interface ReplayInput {
  start: DayKey;
  calendar: ModuleCalendar;
  assignments: Assignment[];
  /** Sorted by day, so "everything up to day d" is a prefix. */
  activity: Array<DailyActivity & { dayNumber: number }>;
  submissions: Array<Submission & { dayNumber: number }>;
}

/**
 * OULAD has no term calendar, so we give it the breaks a module team would enter: the two weeks around
 * Christmas and, when the module ends in an exam, the revision weeks after the last assignment.
 */
function breaksOf(data: OuladPresentation, start: DayKey, end: DayKey): NonTeachingPeriod[] {
  const breaks: NonTeachingPeriod[] = [];
  const christmas = `${start.slice(0, 4)}-12-25`;
  if (christmas >= start && christmas <= end) {
    const monday = mondayOf(christmas);
    breaks.push({ start: monday, end: addDays(monday, 13), label: 'Christmas break' });
  }
  const lastDue = Math.max(...data.assessments.map((a) => a.dueDay ?? Number.NEGATIVE_INFINITY));
  if (data.assessments.some((a) => a.type === 'Exam') && Number.isFinite(lastDue) && lastDue < data.lengthDays - 1) {
    breaks.push({ start: addDays(start, lastDue + 1), end, label: 'Revision and exam' });
  }
  return breaks;
}

function prepare(data: OuladPresentation, withBreaks: boolean): ReplayInput {
  const start = startDayOf(data.presentation);
  const dayKey = (day: number) => addDays(start, day);
  const end = dayKey(data.lengthDays - 1);
  const calendar: ModuleCalendar = { timeZone: TIME_ZONE, start, end, nonTeachingWeeks: withBreaks ? breaksOf(data, start, end) : [] };
  const assignments = data.assessments.map((a) => ({
    id: a.id,
    title: `${a.type} ${a.id}`,
    dueAt: a.dueDay === null ? null : instantOn(dayKey(a.dueDay), DUE_HOUR),
  }));
  const activity = data.clicks.map((c) => ({ memberId: c.studentId, day: dayKey(c.day), source: 'vle' as DailyActivity['source'], count: c.clicks, minutes: 0, dayNumber: c.day }));
  // Banked results were submitted in an earlier presentation: they count as submitted, not as activity now.
  for (const s of data.submissions) {
    if (!s.banked) activity.push({ memberId: s.studentId, day: dayKey(s.day), source: 'assignment', count: 1, minutes: 0, dayNumber: s.day });
  }
  activity.sort((a, b) => a.dayNumber - b.dayNumber);
  const submissions = data.submissions
    .map((s) => ({ assignmentId: s.assessmentId, memberId: s.studentId, submittedAt: instantOn(dayKey(s.day), SUBMITTED_HOUR), dayNumber: s.day }))
    .sort((a, b) => a.dayNumber - b.dayNumber);
  return { start, calendar, assignments, activity, submissions };
}

/** The roster as the platform would have shown it on day d: withdrawals only once they have happened. */
function rosterOn(data: OuladPresentation, start: DayKey, d: number): MemberInfo[] {
  return data.students
    .filter((s) => s.registrationDay === null || s.registrationDay <= d)
    .map((s) => {
      const left = s.unregistrationDay !== null && s.unregistrationDay < d;
      return {
        memberId: s.id,
        enrolledFrom: s.registrationDay === null ? null : addDays(start, s.registrationDay),
        leftOn: left ? addDays(start, s.unregistrationDay as number) : null,
        status: left ? 'withdrawn' : 'active',
        isLearner: true,
        sponsoredVisa: false,
      };
    });
}

function prefixUpTo<T extends { dayNumber: number }>(sorted: readonly T[], d: number, from: number): number {
  let end = from;
  while (end < sorted.length && (sorted[end] as T).dayNumber <= d) end++;
  return end;
}

function replay(data: OuladPresentation, input: ReplayInput, variant: Variant): ReplayResult {
  const result: ReplayResult = { firstAlert: new Map(), firstByRule: new Map(), episodes: new Map() };
  let activityEnd = 0;
  let submissionsEnd = 0;
  for (let d = 0; d < data.lengthDays; d++) {
    activityEnd = prefixUpTo(input.activity, d, activityEnd);
    submissionsEnd = prefixUpTo(input.submissions, d, submissionsEnd);
    const analysis = analyseModule({
      calendar: input.calendar,
      members: rosterOn(data, input.start, d),
      activity: input.activity.slice(0, activityEnd),
      assignments: input.assignments,
      submissions: input.submissions.slice(0, submissionsEnd),
      knownCauses: [],
      markers: variant.markers,
      thresholds: variant.thresholds,
      today: addDays(input.start, d),
    });
    for (const alert of analysis.alerts) {
      if (alert.audience !== 'staff') continue;
      if (!result.firstAlert.has(alert.memberId)) result.firstAlert.set(alert.memberId, d);
      const byRule = result.firstByRule.get(alert.memberId) ?? new Map<string, number>();
      if (!byRule.has(alert.rule)) byRule.set(alert.rule, d);
      result.firstByRule.set(alert.memberId, byRule);
      const keys = result.episodes.get(alert.memberId) ?? new Set<string>();
      keys.add(`${alert.rule}/${alert.key}`);
      result.episodes.set(alert.memberId, keys);
    }
  }
  return result;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** firstDay(student) gives the first alert day to count, or undefined when never flagged. */
function summarise(data: OuladPresentation, firstDay: (studentId: string) => number | undefined, episodes: (studentId: string) => number): Figures {
  const withdrew = data.students.filter((s) => s.unregistrationDay !== null && s.unregistrationDay >= 0 && s.unregistrationDay < data.lengthDays);
  const leads = withdrew.flatMap((s) => {
    const first = firstDay(s.id);
    return first !== undefined && first < (s.unregistrationDay as number) ? [(s.unregistrationDay as number) - first] : [];
  });
  const passed = data.students.filter((s) => s.finalResult !== null && PASSED_RESULTS.has(s.finalResult));
  const passedFlagged = passed.filter((s) => firstDay(s.id) !== undefined);
  return {
    withdrawn: withdrew.length,
    withdrawnFlaggedShare: withdrew.length ? round3(leads.length / withdrew.length) : 0,
    medianLeadDays: median(leads),
    passed: passed.length,
    passedFlaggedShare: passed.length ? round3(passedFlagged.length / passed.length) : 0,
    alertsPerPassedStudent: passed.length ? round3(passed.reduce((sum, s) => sum + episodes(s.id), 0) / passed.length) : 0,
  };
}

function figuresOf(data: OuladPresentation, result: ReplayResult, rule?: string): Figures {
  return summarise(
    data,
    (id) => (rule ? result.firstByRule.get(id)?.get(rule) : result.firstAlert.get(id)),
    (id) => [...(result.episodes.get(id) ?? [])].filter((key) => !rule || key.startsWith(`${rule}/`)).length,
  );
}

function describe(name: string, f: Figures): string {
  return `${name.padEnd(44)} withdrawn flagged ${(f.withdrawnFlaggedShare * 100).toFixed(1).padStart(5)}%  median lead ${String(f.medianLeadDays ?? '-').padStart(5)} d  ` +
    `passed flagged ${(f.passedFlaggedShare * 100).toFixed(1).padStart(5)}%  alerts/passed ${f.alertsPerPassedStudent.toFixed(2)}`;
}

const withMinimum = (minimumLevel: number | null): ModuleMarkers => ({ ...DEFAULT_MARKERS, minimumLevel });

/** Settings worth comparing against the defaults (printed with --variants). */
const VARIANTS: Variant[] = [
  { name: 'minimum 30% instead of cohort quartile', markers: withMinimum(30), thresholds: {} },
  { name: 'minimum 40% instead of cohort quartile', markers: withMinimum(40), thresholds: {} },
  { name: 'minimum 50% instead of cohort quartile', markers: withMinimum(50), thresholds: {} },
  { name: 'sudden drop not allowing for the cohort', markers: DEFAULT_MARKERS, thresholds: { suddenDropAllowsForCohort: false } },
  { name: 'sudden drop not needing a new low', markers: DEFAULT_MARKERS, thresholds: { suddenDropMustBeNewLow: false } },
  { name: 'sudden drop as plainly specified (neither)', markers: DEFAULT_MARKERS, thresholds: { suddenDropAllowsForCohort: false, suddenDropMustBeNewLow: false } },
  { name: 'sudden drop below 30%', markers: DEFAULT_MARKERS, thresholds: { suddenDropRatio: 0.3 } },
  { name: 'sudden drop below 50%', markers: DEFAULT_MARKERS, thresholds: { suddenDropRatio: 0.5 } },
];

/** The replay's Moodle activity replaced by what the importer stored (the assignment rows stay as they are). */
async function withImportedVle(data: OuladPresentation, input: ReplayInput): Promise<ReplayInput> {
  const started = Date.now();
  const imported = await vleActivityThroughImporters(data, input.start, TIME_ZONE, loadConfig().mongodbUri);
  const activity = [...input.activity.filter((a) => a.source !== 'vle'), ...imported.activity].sort((a, b) => a.dayNumber - b.dayNumber);
  const directDays = new Set(input.activity.filter((a) => a.source === 'vle').map((a) => `${a.memberId}|${a.day}`));
  const importedDays = new Set(imported.activity.map((a) => `${a.memberId}|${a.day}`));
  const same = directDays.size === importedDays.size && [...directDays].every((k) => importedDays.has(k));
  console.log(`through the importer on ${imported.database}: ${imported.logRows} course-log rows, ${imported.eventsStored} events, ` +
    `${imported.activity.length} daily rows, ${imported.unmatched} unmatched, in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
    `same active days as the CSV: ${same ? 'yes' : 'NO'}`);
  return { ...input, activity };
}

async function main(): Promise<void> {
  exitWithHelpIfAsked(HELP);
  const args = process.argv.slice(2);
  const folder = resolve(args.find((arg) => !arg.startsWith('--')) ?? DEFAULT_FOLDER);
  // A folder of the full OULAD holds every presentation: --presentation=AAA/2014J picks one (default: the first).
  const named = args.find((arg) => arg.startsWith('--presentation='))?.slice('--presentation='.length).split('/');
  const started = Date.now();
  const data = await readPresentation(folder, named && named.length === 2 ? { module: named[0] as string, presentation: named[1] as string } : undefined);
  let input = prepare(data, !args.includes('--plain-calendar'));
  if (!args.includes('--from-csv')) input = await withImportedVle(data, input);
  console.log(`${data.module} ${data.presentation}: ${data.students.length} students, ${data.lengthDays} days from ${input.start}, ` +
    `${input.activity.length} daily rows, ${data.assessments.length} assessments`);
  console.log(`non-teaching: ${input.calendar.nonTeachingWeeks.map((b) => `${b.label} ${b.start}..${b.end}`).join('; ') || 'none'}`);
  const defaults: Variant = { name: 'defaults', markers: DEFAULT_MARKERS, thresholds: DEFAULT_ALERT_THRESHOLDS };
  const result = replay(data, input, defaults);
  const figures = figuresOf(data, result);
  console.log(describe(defaults.name, figures));
  for (const rule of ['noEngagement', 'persistentLow', 'suddenDrop']) console.log(describe(`  of which ${rule} alone`, figuresOf(data, result, rule)));
  if (args.includes('--variants')) {
    for (const variant of VARIANTS) console.log(describe(variant.name, figuresOf(data, replay(data, input, variant))));
    const plain = prepare(data, false);
    console.log(describe('defaults without the breaks calendar', figuresOf(data, replay(data, plain, defaults))));
  }
  console.log(`replayed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(JSON.stringify(figures));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
