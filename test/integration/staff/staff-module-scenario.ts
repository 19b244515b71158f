// A believable module for staff-page tests: twelve learners with different patterns, Teams and Echo360 data,
// two assignments, a reading week, and the analysis stored. Moodle user ids are numbers, as in real logs.
import { DateTime } from 'luxon';
import { daysSoFar, ltikOf, startEngagementModule, steadyDays, vleRows, ZONE, type EngagementModule } from '../analytics/engagement-module-fixture';
import { TestBrowser } from '../../platform';
import { ROLE } from '../../support/lti-roles';
import { recomputeModuleAnalysis } from '../../../src/reports/module-analysis-service';

export interface ScenarioLearner {
  userId: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
}

function learner(userId: string, givenName: string, familyName: string): ScenarioLearner {
  return { userId, name: `${givenName} ${familyName}`, givenName, familyName, email: `${givenName.toLowerCase().replace(/[^a-z]/g, '')}.${familyName.toLowerCase().replace(/[^a-z]/g, '')}@student.example.ac.uk` };
}

export const STEADY: ReadonlyArray<ScenarioLearner & { perWeek: number }> = [
  { ...learner('4001', 'Amira', 'Haddad'), perWeek: 4 },
  { ...learner('4002', 'Ben', 'Okafor'), perWeek: 3 },
  { ...learner('4003', 'Chloé', 'Martin'), perWeek: 5 },
  { ...learner('4004', 'Dev', 'Patel'), perWeek: 4 },
  { ...learner('4005', 'Eleanor', 'Wright'), perWeek: 3 },
  { ...learner('4006', 'Farid', 'Rahman'), perWeek: 4 },
  { ...learner('4007', 'Grace', 'Liu'), perWeek: 3 },
  { ...learner('4008', 'Hamish', 'Campbell'), perWeek: 4 },
  { ...learner('4012', 'Luca', 'Romano'), perWeek: 3 },
];
/** Active in the first two weeks only: a no-engagement alert. */
export const SILENT = learner('4009', 'Isla', 'Kowalski');
/** One day a week throughout: persistently low. */
export const LOW = learner('4010', 'Jonah', 'Price');
/** Very active, then nothing in the last complete week: a sudden drop. */
export const DROPPED = learner('4011', 'Keira', "O'Neill");

export const COURSE = { id: 'PSY2041', title: 'Research Methods in Psychology' };

export async function startStaffScenario(opts: { env?: Record<string, string> } = {}): Promise<EngagementModule> {
  const all = [...STEADY, SILENT, LOW, DROPPED];
  const fx = await startEngagementModule({
    courseId: COURSE.id,
    title: COURSE.title,
    learners: all.map(({ userId, name, givenName, familyName, email }) => ({ userId, name, givenName, familyName, email })),
    env: opts.env,
    adjustCalendar: (c) => {
      const week4 = DateTime.fromISO(c.start, { zone: ZONE }).plus({ weeks: 3 });
      return { ...c, nonTeachingWeeks: [{ start: week4.toISODate()!, end: week4.plus({ days: 6 }).toISODate()!, label: 'Reading week' }] };
    },
  });
  const cal = fx.calendar;
  const soFar = daysSoFar(cal);
  const notReadingWeek = (d: number) => d < 21 || d > 27;
  const lastCompleteWeekStart = Math.floor(soFar / 7) * 7 - 7;
  const rows = [
    ...STEADY.flatMap((l) => vleRows(cal, l, steadyDays(cal, l.perWeek).filter(notReadingWeek))),
    ...vleRows(cal, SILENT, steadyDays(cal, 4, 0, 14)),
    ...vleRows(cal, LOW, steadyDays(cal, 1).filter(notReadingWeek)),
    ...vleRows(cal, DROPPED, steadyDays(cal, 5, 0, lastCompleteWeekStart).filter(notReadingWeek)),
  ];
  await fx.importVle(rows, 'scenario');
  const weekly = (offset: number) => steadyDays(cal, 7).filter((d) => d % 7 === offset && notReadingWeek(d));
  for (const l of STEADY) await fx.addActivity(l.userId, 'meeting', weekly(2), 50);
  for (const l of STEADY.slice(0, 6)) await fx.addActivity(l.userId, 'recording', weekly(3), 35);
  await fx.addActivity(DROPPED.userId, 'meeting', weekly(2).filter((d) => d < lastCompleteWeekStart), 50);
  await fx.addActivity(DROPPED.userId, 'recording', weekly(3).filter((d) => d < lastCompleteWeekStart), 40);
  const everyone = Object.fromEntries([...STEADY, DROPPED].map((l) => [l.userId, 9]));
  await fx.addAssignment('Essay plan', 11, { ...everyone, [LOW.userId]: 13 });
  await fx.addAssignment('Lab report', 32, Object.fromEntries(STEADY.map((l) => [l.userId, 31])));
  await recomputeModuleAnalysis((await fx.module()).id, new Date());
  return fx;
}

export interface TeacherInScenario {
  fx: EngagementModule;
  moduleId: string;
  /** The teacher's browser after their launch, and its launch token. */
  teacher: TestBrowser;
  ltik: string;
}

/** The scenario with its teacher (t1) launched, as most staff-page tests begin. */
export async function startStaffScenarioAsTeacher(opts: { env?: Record<string, string> } = {}): Promise<TeacherInScenario> {
  const fx = await startStaffScenario(opts);
  const moduleId = (await fx.module()).id;
  const teacher = new TestBrowser();
  const ltik = ltikOf(await fx.launch('t1', [ROLE.instructor], {}, teacher));
  return { fx, moduleId, teacher, ltik };
}
