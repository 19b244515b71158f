import type { AlertAudience } from '../engagement';
import type { RoleSet } from '../lti/role-mapping';
import { isVisaComplianceStaff } from '../store/platform-repository';
import type { Member } from '../store/types';

/** Who is looking at a staff page, and so which members and alerts they may see. */
export interface StaffViewer {
  userId: string;
  name: string;
  isStaff: boolean;
  isDesigner: boolean;
  /** User ids a mentor may see; null for staff, who see every member. */
  menteeUserIds: readonly string[] | null;
  /** Named by an administrator as visa-compliance staff for this platform. */
  seesVisa: boolean;
  /** Visa-compliance staff and administrators may mark a learner as sponsored-visa. */
  canEditVisa: boolean;
  audiences: readonly AlertAudience[];
}

export async function staffViewerFor(launch: { platformId: string; userId: string; name: string; roles: RoleSet; mentorScope: readonly string[] }): Promise<StaffViewer> {
  const seesVisa = await isVisaComplianceStaff(launch.platformId, launch.userId);
  const isStaff = launch.roles.all.has('staff');
  return {
    userId: launch.userId,
    name: launch.name,
    isStaff,
    isDesigner: launch.roles.all.has('designer'),
    menteeUserIds: isStaff ? null : launch.mentorScope,
    seesVisa,
    canEditVisa: seesVisa || launch.roles.all.has('admin'),
    audiences: seesVisa ? ['staff', 'visa-compliance'] : ['staff'],
  };
}

/** Staff see every member; a mentor only their mentees. */
export function canSeeMember(viewer: StaffViewer, member: Pick<Member, 'userId'>): boolean {
  return viewer.menteeUserIds === null || viewer.menteeUserIds.includes(member.userId);
}

export function visibleMembers<T extends Pick<Member, 'userId'>>(viewer: StaffViewer, members: readonly T[]): T[] {
  if (viewer.menteeUserIds === null) return [...members];
  const allowed = new Set(viewer.menteeUserIds);
  return members.filter((m) => allowed.has(m.userId));
}
