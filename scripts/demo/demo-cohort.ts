import { learnerName } from './demo-names';
import type { OuladStudentActivity } from './oulad-demo-source';
import { weekOfDay } from './demo-term';

// The people of the demo module: learners (each backed by one OULAD student's real activity), two staff,
// a personal tutor (mentor) and a learning designer, and the stories that make a demo worth opening.

export const DEMO_COURSE = { id: '4201', title: 'AAA 2013J · Foundations of Study', label: 'AAA-2013J' } as const;

/**
 * typical: OULAD activity as it was. fades: tails off from week 4 and stops by week 7. sudden-drop: active until the
 * last complete week, then almost nothing. known-cause: away in weeks 5–6 for a reason staff recorded.
 */
export type LearnerStory = 'typical' | 'fades' | 'sudden-drop' | 'known-cause';

export interface DemoPerson {
  userId: string;
  givenName: string;
  familyName: string;
  name: string;
  email: string;
}

export interface DemoLearner extends DemoPerson {
  index: number;
  /** Student number, Moodle's idnumber. */
  sourcedId: string;
  source: OuladStudentActivity;
  /** Which repetition of its OULAD student this learner is (0 for the first 376; larger cohorts reuse them). */
  copy: number;
  story: LearnerStory;
  sponsoredVisa: boolean;
}

export interface DemoCohort {
  learners: DemoLearner[];
  teacher: DemoPerson;
  tutor: DemoPerson;
  mentor: DemoPerson;
  designer: DemoPerson;
  menteeUserIds: string[];
}

const FIRST_LEARNER_USER_ID = 20001;
// Learners whose OULAD student was active in most of the first ten weeks can carry a story: a drop needs a baseline.
const STORY_MIN_ACTIVE_WEEKS = 8;
const MENTEES = 10;

function person(userId: string, givenName: string, familyName: string, emailDomain: string): DemoPerson {
  const local = `${givenName}.${familyName}`.toLowerCase().replace(/[^a-z0-9.-]/g, '');
  return { userId, givenName, familyName, name: `${givenName} ${familyName}`, email: `${local}@${emailDomain}`, };
}

function activeWeeks(source: OuladStudentActivity): number {
  return new Set(source.visits.filter((v) => weekOfDay(v.day) <= 10).map((v) => weekOfDay(v.day))).size;
}

function storyFor(candidateRank: number): LearnerStory {
  if (candidateRank === 12) return 'known-cause';
  if (candidateRank % 30 === 2) return 'fades';
  if (candidateRank % 40 === 7) return 'sudden-drop';
  return 'typical';
}

export function buildDemoCohort(learnerCount: number, students: readonly OuladStudentActivity[]): DemoCohort {
  if (students.length === 0) throw new Error('The OULAD data has no student with activity in the term.');
  let candidateRank = 0;
  const learners: DemoLearner[] = [];
  for (let index = 0; index < learnerCount; index++) {
    const source = students[index % students.length]!;
    const copy = Math.floor(index / students.length);
    const { givenName, familyName } = learnerName(index);
    const base = person(String(FIRST_LEARNER_USER_ID + index), givenName, familyName, 'student.example.ac.uk');
    const story = activeWeeks(source) >= STORY_MIN_ACTIVE_WEEKS ? storyFor(candidateRank++) : 'typical';
    learners.push({
      ...base,
      email: base.email.replace('@', `${index >= 4900 ? index : ''}@`),
      index,
      sourcedId: `23${String(index).padStart(6, '0')}`,
      source,
      copy,
      story,
      // About one learner in 25 holds a sponsored student visa, and the first one to fade out is one of them.
      sponsoredVisa: index % 25 === 3,
    });
  }
  const firstFader = learners.find((l) => l.story === 'fades');
  if (firstFader) firstFader.sponsoredVisa = true;

  const storied = (story: LearnerStory) => learners.filter((l) => l.story === story).slice(0, 1);
  const mentees = [...storied('fades'), ...storied('sudden-drop'), ...storied('known-cause')];
  for (const l of learners) if (mentees.length < MENTEES && l.story === 'typical') mentees.push(l);

  return {
    learners,
    teacher: person('9001', 'Helen', 'Okafor', 'staff.example.ac.uk'),
    tutor: person('9002', 'Tom', 'Reyes', 'staff.example.ac.uk'),
    mentor: person('9101', 'Priya', 'Shah', 'staff.example.ac.uk'),
    designer: person('9201', 'Sam', 'Carter', 'staff.example.ac.uk'),
    menteeUserIds: mentees.map((l) => l.userId),
  };
}
