import type { DemoCohort, DemoLearner, DemoPerson } from './demo-cohort';
import { DEMO_COURSE } from './demo-cohort';

// Links to the demo Moodle's course page for one person: opening one performs a real LTI 1.3 launch into Waymark.

export interface DemoLink {
  who: string;
  person: DemoPerson;
  url: string;
}

export function launchLink(platformUrl: string, clientId: string, userId: string, extra: Record<string, string> = {}): string {
  const url = new URL(`${platformUrl}/course/${DEMO_COURSE.id}/launch`);
  url.searchParams.set('clientId', clientId);
  url.searchParams.set('userId', userId);
  url.searchParams.set('target', 'window');
  for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
  return url.toString();
}

function firstWith(cohort: DemoCohort, test: (l: DemoLearner) => boolean): DemoLearner | undefined {
  return cohort.learners.find(test);
}

export function demoLinks(platformUrl: string, clientId: string, cohort: DemoCohort): DemoLink[] {
  const link = (who: string, person: DemoPerson, extra: Record<string, string> = {}): DemoLink => ({ who, person, url: launchLink(platformUrl, clientId, person.userId, extra) });
  const links = [
    link('Teacher (module convenor)', cohort.teacher),
    link(`Personal tutor (mentor of ${cohort.menteeUserIds.length} learners)`, cohort.mentor, { mentorScope: cohort.menteeUserIds.join(',') }),
  ];
  const steady = firstWith(cohort, (l) => l.story === 'typical' && !l.sponsoredVisa && l.source.visits.length > 150);
  const dropped = firstWith(cohort, (l) => l.story === 'sudden-drop');
  if (steady) links.push(link('Student', steady));
  if (dropped) links.push(link('Student whose engagement dropped last week', dropped));
  links.push(link('Learning designer', cohort.designer));
  return links;
}
