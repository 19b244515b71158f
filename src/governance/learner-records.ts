import { loadStudentAnalysis } from '../reports/student-module-analysis';
import { listAssignments, listSubmissions } from '../store/assignment-repository';
import { listDataReports } from '../store/data-report-repository';
import {
  listAccessRecords,
  listAllMemberEvents,
  listMemberAlerts,
  listMemberInterventions,
  listMemberKnownCauses,
  listMemberRollups,
  type AccessRecord,
  type MemberAlertRecord,
  type MemberEventRecord,
  type MemberInterventionRecord,
  type MemberKnownCauseRecord,
} from '../store/member-records-repository';
import { getModuleSettings } from '../store/module-settings-repository';
import type { Member, Module } from '../store/types';

// Everything Waymark holds about one member record, for the student's own download and an administrator's
// subject access export. The student's copy leaves out what staff keep for themselves (see STUDENT_EXPORT_NOTE).

export type RecordScope = 'student' | 'subject-access';

export interface PersonRecord {
  moodleUserId: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  sourcedId: string;
  rolesInModule: string[];
  enrolmentStatus: string;
  firstInRoster: Date | null;
  lastInRoster: Date | null;
  leftModule: Date | null;
  firstOpenedWaymark: Date | null;
  lastOpenedWaymark: Date | null;
}

/** Flags only staff see: in the subject access export, never in the student's own download. */
export interface StaffFlags {
  sponsoredVisa: boolean;
  markedNotALearner: boolean;
  launchedAsStaff: boolean;
}

export interface AssignmentRecord {
  title: string;
  dueAt: Date | null;
  submitted: boolean;
  submittedAt: Date | null;
  late: boolean | null;
  status: string;
}

export interface DataReportRecord {
  createdAt: Date;
  source: string | null;
  text: string;
  status: string;
  /** Subject access only: the staff's note on the report. */
  staffNote?: string;
}

export interface WeeklyLevelRecord {
  week: number;
  start: string;
  end: string;
  level: number | null;
}

export interface LearnerRecords {
  module: { title: string; label: string; courseId: string; timeZone: string };
  person: PersonRecord;
  weeklyEngagement: WeeklyLevelRecord[];
  events: MemberEventRecord[];
  dailyActivity: Array<{ day: string; source: string; count: number; minutes: number }>;
  assignments: AssignmentRecord[];
  dataReports: DataReportRecord[];
  staffOnly: null | {
    flags: StaffFlags;
    alerts: MemberAlertRecord[];
    interventions: MemberInterventionRecord[];
    knownCauses: MemberKnownCauseRecord[];
    accessLog: AccessRecord[];
  };
}

function personRecord(member: Member): PersonRecord {
  return {
    moodleUserId: member.userId,
    name: member.name,
    givenName: member.givenName,
    familyName: member.familyName,
    email: member.email,
    sourcedId: member.sourcedId,
    rolesInModule: [...new Set([...member.rosterRoles, ...member.launchRoles])],
    enrolmentStatus: member.status,
    firstInRoster: member.inRosterSince,
    lastInRoster: member.lastInRosterAt,
    leftModule: member.leftAt,
    firstOpenedWaymark: member.firstLaunchAt,
    lastOpenedWaymark: member.lastLaunchAt,
  };
}

async function assignmentRecords(moduleId: string, memberId: string): Promise<AssignmentRecord[]> {
  const [assignments, submissions] = await Promise.all([listAssignments(moduleId), listSubmissions(moduleId, memberId)]);
  const byAssignment = new Map(submissions.map((s) => [s.assignmentId, s]));
  return assignments.map((a) => {
    const s = byAssignment.get(a.id);
    return { title: a.title, dueAt: a.dueAt, submitted: s?.submitted ?? false, submittedAt: s?.submittedAt ?? null, late: s?.late ?? null, status: s?.status ?? '' };
  });
}

async function weeklyEngagement(module: Module, memberId: string, now: Date): Promise<WeeklyLevelRecord[]> {
  const settings = await getModuleSettings(module.id, module.createdAt, module.timeZone);
  const analysis = await loadStudentAnalysis(module, settings, memberId, now);
  const levels = new Map((analysis.own?.weeks ?? []).map((w) => [w.weekNumber, w.level]));
  return analysis.weeks
    .filter((w) => w.started && w.teaching)
    .map((w) => {
      const level = levels.get(w.number) ?? null;
      return { week: w.number, start: w.start, end: w.end, level: level === null ? null : Math.round(level) };
    });
}

async function staffOnlyRecords(member: Member): Promise<NonNullable<LearnerRecords['staffOnly']>> {
  const [alerts, interventions, knownCauses, accessLog] = await Promise.all([
    listMemberAlerts(member.moduleId, member.id),
    listMemberInterventions(member.moduleId, member.id),
    listMemberKnownCauses(member.moduleId, member.id),
    listAccessRecords(member.id),
  ]);
  return {
    flags: { sponsoredVisa: member.sponsoredVisa, markedNotALearner: member.notLearner, launchedAsStaff: member.launchedAsStaff },
    alerts,
    interventions,
    knownCauses,
    accessLog,
  };
}

export async function collectLearnerRecords(module: Module, member: Member, scope: RecordScope, now: Date): Promise<LearnerRecords> {
  const [weeks, events, rollups, assignments, reports, staffOnly] = await Promise.all([
    weeklyEngagement(module, member.id, now),
    listAllMemberEvents(module.id, member.id),
    listMemberRollups(module.id, member.id),
    assignmentRecords(module.id, member.id),
    listDataReports(module.id, member.id),
    scope === 'subject-access' ? staffOnlyRecords(member) : Promise.resolve(null),
  ]);
  return {
    module: { title: module.title, label: module.label, courseId: module.contextId, timeZone: module.timeZone },
    person: personRecord(member),
    weeklyEngagement: weeks,
    events,
    dailyActivity: rollups.map((r) => ({ day: r.day, source: r.source, count: r.count, minutes: r.minutes })),
    assignments,
    dataReports: reports.map((r) => ({
      createdAt: r.createdAt,
      source: r.source,
      text: r.text,
      status: r.status,
      ...(scope === 'subject-access' ? { staffNote: r.staffNote } : {}),
    })),
    staffOnly,
  };
}
