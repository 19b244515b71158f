// Times analyseModule on a generated module: `npx tsx scripts/bench/analytics-bench.ts [learners]`.
// Runs the given size (default 1,000 learners, 12 weeks, ~1.5 million events behind the daily rollups)
// and ten times that size to show the cost grows linearly. The last line of output is JSON.
import { performance } from 'node:perf_hooks';
import { addDays, analyseModule } from '../../src/engagement';
import type { Assignment, DailyActivity, KnownCause, MemberInfo, ModuleAnalysisInput, ModuleCalendar, Submission } from '../../src/engagement';
import { exitWithHelpIfAsked } from '../script-help';

const HELP = `Time the engagement analysis (indicators, cohort bands, alerts) in-process on a generated module over 12 weeks,
and again on ten times the learners.

  npm run bench:analytics [-- LEARNERS]

  LEARNERS   learners in the module (default 1000; ~1,500 events each behind the rollups)

No database needed. Ends with one line of JSON.`;

const DEFAULT_LEARNERS = 1000;
const SCALE_FACTOR = 10;
const WEEKS = 12;
const STAFF = 8;
// A server recomputes many modules in one process, so the steady (warmed-up) time is the one that matters.
const WARM_UP_RUNS = 5;
const TIMED_RUNS = 11;
const LARGE_WARM_UP_RUNS = 2;
const LARGE_TIMED_RUNS = 5;
const TARGET_MS_PER_1000 = 100;

const CALENDAR: ModuleCalendar = {
  timeZone: 'Europe/London',
  start: '2025-09-29',
  end: addDays('2025-09-29', WEEKS * 7 - 1),
  nonTeachingWeeks: [{ start: '2025-11-10', end: '2025-11-16', label: 'Reading week' }],
};
const TODAY = addDays(CALENDAR.end, 1);

/** mulberry32: a tiny seeded PRNG so every run benchmarks the same module. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Generated {
  input: ModuleAnalysisInput;
  events: number;
}

function generateModule(learnerCount: number, seed: number): Generated {
  const random = seeded(seed);
  const days = Array.from({ length: WEEKS * 7 }, (_, i) => addDays(CALENDAR.start, i));
  const assignments: Assignment[] = [3, 6, 9, 12].map((week, i) => ({
    id: `a${i + 1}`,
    title: `Assignment ${i + 1}`,
    dueAt: `${addDays(CALENDAR.start, week * 7 - 3)}T17:00:00Z`,
  }));
  const members: MemberInfo[] = [];
  const activity: DailyActivity[] = [];
  const submissions: Submission[] = [];
  const knownCauses: KnownCause[] = [];
  let events = 0;
  for (let i = 0; i < learnerCount + STAFF; i++) {
    const memberId = `m${String(i).padStart(6, '0')}`;
    const isLearner = i >= STAFF;
    const roll = random();
    members.push({
      memberId,
      isLearner,
      status: roll < 0.03 ? 'withdrawn' : 'active',
      sponsoredVisa: random() < 0.1,
      enrolledFrom: random() < 0.05 ? days[7 + Math.floor(random() * 21)] : null,
      leftOn: null,
    });
    const propensity = 0.25 + 0.75 * random();
    // About one learner in twenty stops engaging part-way through, as real cohorts do.
    const stopsAt = random() < 0.05 ? Math.floor(random() * days.length) : days.length;
    if (random() < 0.02) knownCauses.push({ memberId, from: days[30] as string, to: days[40] as string, reason: 'illness' });
    days.forEach((day, d) => {
      if (d >= stopsAt) return;
      const weekend = d % 7 >= 5;
      if (random() < (weekend ? 0.35 : 0.8) * propensity) {
        const count = 1 + Math.floor(random() * 80);
        events += count;
        activity.push({ memberId, day, source: 'vle', count, minutes: 0 });
      }
      if (random() < 0.3 * propensity) {
        const count = 1 + Math.floor(random() * 3);
        events += count;
        activity.push({ memberId, day, source: 'launch', count, minutes: 0 });
      }
      if (d % 7 === 1 && random() < 0.85 * propensity) {
        events += 1;
        activity.push({ memberId, day, source: 'meeting', count: 1, minutes: 30 + Math.floor(random() * 30) });
      }
      if (random() < 0.2 * propensity) {
        const count = 1 + Math.floor(random() * 2);
        events += count;
        activity.push({ memberId, day, source: 'recording', count, minutes: count * (10 + Math.floor(random() * 30)) });
      }
    });
    for (const assignment of assignments) {
      const due = Date.parse(assignment.dueAt as string);
      const at = due + Math.floor((random() - 0.8) * 5 * 86_400_000);
      if (!isLearner || random() > 0.9 * propensity || at >= Date.parse(`${days[stopsAt - 1] ?? CALENDAR.end}T23:00:00Z`)) continue;
      const submittedAt = new Date(at).toISOString();
      submissions.push({ assignmentId: assignment.id, memberId, submittedAt });
      activity.push({ memberId, day: submittedAt.slice(0, 10), source: 'assignment', count: 1, minutes: 0 });
      events += 1;
    }
  }
  return { input: { calendar: CALENDAR, members, activity, assignments, submissions, knownCauses, today: TODAY }, events };
}

/** The worst case the brief allows: every learner active in every source on every day (learners × days × 5 rows). */
function denseModule(base: ModuleAnalysisInput): ModuleAnalysisInput {
  const days = Array.from({ length: WEEKS * 7 }, (_, i) => addDays(CALENDAR.start, i));
  const activity: DailyActivity[] = [];
  for (const member of base.members) {
    for (const day of days) {
      for (const source of ['vle', 'launch', 'assignment', 'meeting', 'recording'] as const) {
        activity.push({ memberId: member.memberId, day, source, count: 3, minutes: source === 'meeting' || source === 'recording' ? 20 : 0 });
      }
    }
  }
  return { ...base, activity };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function time(input: ModuleAnalysisInput, warmUps: number, runs: number): { ms: number; alerts: number } {
  let alerts = 0;
  for (let i = 0; i < warmUps; i++) alerts = analyseModule(input).alerts.length;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    analyseModule(input);
    times.push(performance.now() - started);
  }
  return { ms: Math.round(median(times) * 10) / 10, alerts };
}

function main(): void {
  exitWithHelpIfAsked(HELP);
  const learners = Number(process.argv[2] ?? DEFAULT_LEARNERS);
  if (!Number.isInteger(learners) || learners < 1) throw new Error('learners must be a whole number, e.g. 1000');
  const small = generateModule(learners, 1);
  const smallTime = time(small.input, WARM_UP_RUNS, TIMED_RUNS);
  console.log(`${learners} learners, ${WEEKS} weeks: ${small.input.activity.length} daily rows from ${small.events} events, ` +
    `${smallTime.alerts} alerts; median ${smallTime.ms} ms over ${TIMED_RUNS} runs (target under ${(TARGET_MS_PER_1000 * learners) / 1000} ms)`);
  const smallRows = small.input.activity.length;
  const dense = denseModule(small.input);
  const denseTime = time(dense, WARM_UP_RUNS, TIMED_RUNS);
  console.log(`${learners} learners, every source every day: ${dense.activity.length} daily rows; median ${denseTime.ms} ms`);
  const denseRows = dense.activity.length;
  dense.activity = [];
  small.input.activity = [];
  const large = generateModule(learners * SCALE_FACTOR, 2);
  const largeTime = time(large.input, LARGE_WARM_UP_RUNS, LARGE_TIMED_RUNS);
  console.log(`${learners * SCALE_FACTOR} learners: ${large.input.activity.length} daily rows from ${large.events} events, ` +
    `${largeTime.alerts} alerts; median ${largeTime.ms} ms over ${LARGE_TIMED_RUNS} runs`);
  const ratio = Math.round((largeTime.ms / smallTime.ms) * 10) / 10;
  console.log(`ratio ${ratio} for ${SCALE_FACTOR}x the learners (linear = ${SCALE_FACTOR})`);
  console.log(
    JSON.stringify({
      [`learners${learners}Ms`]: smallTime.ms,
      [`learners${learners * SCALE_FACTOR}Ms`]: largeTime.ms,
      ratio,
      [`dailyRows${learners}`]: smallRows,
      [`events${learners}`]: small.events,
      [`dailyRows${learners * SCALE_FACTOR}`]: large.input.activity.length,
      [`alerts${learners}`]: smallTime.alerts,
      [`dense${learners}Ms`]: denseTime.ms,
      [`denseRows${learners}`]: denseRows,
    }),
  );
}

main();
