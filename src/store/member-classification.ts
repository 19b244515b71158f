import { mapRoles } from '../lti/role-mapping';
import type { Member } from './types';

// A page classifies every member of a module several times. Members held by the page cache are frozen, so
// their answer cannot change and is remembered; any other member object is classified afresh.
const remembered = new WeakMap<Member, { staff: boolean; learner: boolean }>();

function classify(m: Member): { staff: boolean; learner: boolean } {
  const known = remembered.get(m);
  if (known) return known;
  const staff = m.launchedAsStaff || mapRoles(m.rosterRoles, undefined).all.has('staff');
  const learner = !staff && !m.notLearner && (mapRoles(m.rosterRoles, undefined).all.has('student') || mapRoles(m.launchRoles, undefined).all.has('student'));
  const answer = { staff, learner };
  if (Object.isFrozen(m)) remembered.set(m, answer);
  return answer;
}

/** Staff if they ever launched as staff (Moodle's roster shows non-editing teachers as learners) or the roster says so. */
export function isStaffMember(m: Member): boolean {
  return classify(m).staff;
}

/** Learners count in analytics unless staff, or marked "not a learner" by staff. */
export function isLearnerMember(m: Member): boolean {
  return classify(m).learner;
}
