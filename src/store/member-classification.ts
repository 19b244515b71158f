import { mapRoles } from '../lti/role-mapping';
import type { Member } from './types';

/** Staff if they ever launched as staff (Moodle's roster shows non-editing teachers as learners) or the roster says so. */
export function isStaffMember(m: Member): boolean {
  if (m.launchedAsStaff) return true;
  return mapRoles(m.rosterRoles, undefined).all.has('staff');
}

/** Learners count in analytics unless staff, or marked "not a learner" by staff. */
export function isLearnerMember(m: Member): boolean {
  return !isStaffMember(m) && !m.notLearner && (mapRoles(m.rosterRoles, undefined).all.has('student') || mapRoles(m.launchRoles, undefined).all.has('student'));
}
