import { listMembers } from '../store/member-repository';
import type { Member, Module } from '../store/types';
import { isStaffMember } from './member-classification';

export interface RosterRow {
  memberId: string;
  name: string;
  email: string;
  role: 'Staff' | 'Learner';
  status: string;
  lastLaunchAt: Date | null;
}

export interface ModuleRosterView {
  moduleTitle: string;
  rosterSyncedAt: Date | null;
  rosterSyncError: string | null;
  learnerCount: number;
  staffCount: number;
  rows: RosterRow[];
  scopedToMentees: boolean;
}

const STATUS_LABEL: Record<Member['status'], string> = { active: 'Active', inactive: 'Inactive', gone: 'Left the module' };

/** The module's people as staff see them; a mentor's view is limited to the user ids in their mentor scope. */
export async function buildModuleRosterView(module: Module, scope: { menteeUserIds: string[] | null }): Promise<ModuleRosterView> {
  let members = await listMembers(module.id);
  if (scope.menteeUserIds) {
    const allowed = new Set(scope.menteeUserIds);
    members = members.filter((m) => allowed.has(m.userId));
  }
  const rows = members.map<RosterRow>((m) => ({
    memberId: m.id,
    name: m.name || `User ${m.userId}`,
    email: m.email,
    role: isStaffMember(m) ? 'Staff' : 'Learner',
    status: STATUS_LABEL[m.status],
    lastLaunchAt: m.lastLaunchAt,
  }));
  return {
    moduleTitle: module.title || module.label || 'This module',
    rosterSyncedAt: module.rosterSyncedAt,
    rosterSyncError: module.rosterSyncError,
    learnerCount: rows.filter((r) => r.role === 'Learner').length,
    staffCount: rows.filter((r) => r.role === 'Staff').length,
    rows,
    scopedToMentees: scope.menteeUserIds !== null,
  };
}
