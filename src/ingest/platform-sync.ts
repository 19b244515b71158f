import type { Module } from '../store/types';
import { syncRoster, type RosterSyncDeps, type RosterSyncOutcome } from './roster-sync';
import { syncAssignments, type AssignmentSyncOutcome } from './assignment-sync';

export interface PlatformSyncOutcome {
  roster: RosterSyncOutcome;
  assignments: AssignmentSyncOutcome;
}

/** Roster first, so results from the gradebook find the members who just joined. Neither step throws. */
export async function syncModuleFromPlatform(module: Module, deps: RosterSyncDeps): Promise<PlatformSyncOutcome> {
  const roster = await syncRoster(module, deps);
  const assignments = await syncAssignments(module, deps);
  return { roster, assignments };
}
