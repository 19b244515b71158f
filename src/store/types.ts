// Plain objects the store hands out; callers never see mongoose documents.

export type Source = 'vle' | 'launch' | 'assignment' | 'meeting' | 'recording';
export const SOURCES: readonly Source[] = ['vle', 'launch', 'assignment', 'meeting', 'recording'];

export interface PlatformProfile {
  platformId: string;
  issuer: string;
  clientId: string;
  name: string;
  deploymentIds: string[];
  registeredBy: 'dynamic' | 'manual' | 'cli';
  visaComplianceUserIds: string[];
  retentionYearsAfterLeaving: number;
}

export interface Module {
  id: string;
  platformId: string;
  contextId: string;
  deploymentId: string;
  title: string;
  label: string;
  timeZone: string;
  nrpsUrl: string | null;
  agsLineItemsUrl: string | null;
  rosterSyncedAt: Date | null;
  rosterSyncError: string | null;
  assignmentsSyncedAt: Date | null;
  assignmentsSyncError: string | null;
  /** Raised by every change of engagement data; a stored analysis records the version it read. */
  dataVersion: number;
  /** What pages hold in memory of the module, each part with the version it had when this was read. */
  viewVersions: ModuleViewVersions;
  createdAt: Date;
}

/** What pages read in bulk, each part with its own version so a new member does not reload the alerts. */
export type ModuleViewPart = 'members' | 'alerts' | 'analysis';
export type ModuleViewVersions = Readonly<Record<ModuleViewPart, number>>;

export type MemberStatus = 'active' | 'inactive' | 'gone';

export interface Member {
  id: string;
  moduleId: string;
  userId: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  sourcedId: string;
  rosterRoles: string[];
  launchRoles: string[];
  launchedAsStaff: boolean;
  notLearner: boolean;
  status: MemberStatus;
  inRosterSince: Date | null;
  lastInRosterAt: Date | null;
  leftAt: Date | null;
  firstLaunchAt: Date | null;
  lastLaunchAt: Date | null;
  sponsoredVisa: boolean;
}

export interface EngagementEvent {
  id: string;
  moduleId: string;
  memberId: string;
  source: Source;
  sourceId: string;
  occurredAt: Date;
  count: number;
  minutes: number;
  detail: Record<string, unknown>;
}
