import { SOURCES, type Source } from '../engagement';
import { listDataReports } from '../store/data-report-repository';
import { listInterventions, CONTACT_METHODS, type ContactMethod } from '../store/intervention-repository';
import { listKnownCauses } from '../store/known-cause-repository';
import { getModuleSettings } from '../store/module-settings-repository';
import { alertsForPage, memberFiguresForPage, moduleAnalysisForPage } from '../store/cached-module-reads';
import type { Member, Module } from '../store/types';
import { alertView, type AlertView } from './alert-view';
import { memberChart, memberChartSpecs, weekLabel, type ChartView } from './chart-view';
import { formatDayLong, formatPercent, handedInText, instantFormatter } from './display-format';
import { todayIn } from './engagement-members';
import { judgedWeeks, memberDisplayName } from './learner-rows';
import { lastAccessText } from './learner-row-view';
import { isLearnerMember, isStaffMember } from '../store/member-classification';
import type { StaffViewer } from './staff-viewer';
import { SOURCE_LABELS } from './staff-wording';
import { supportiveEmail, type SupportiveEmail } from './supportive-email';

export const CONTACT_METHOD_LABELS: Record<ContactMethod, string> = {
  email: 'Email',
  phone: 'Phone call',
  'in-person': 'In person',
  video: 'Video call',
  message: 'Message (Moodle or Teams)',
  other: 'Other',
};

const ASSIGNMENT_STATE_LABELS = { submitted: 'Submitted', late: 'Submitted late', missing: 'Not submitted', pending: 'Not due yet' } as const;
const REPORT_STATUS_LABELS = { new: 'New', seen: 'Seen', resolved: 'Resolved' } as const;

export interface LearnerPageView {
  memberId: string;
  name: string;
  email: string;
  standing: string;
  countsAsLearner: boolean;
  notLearner: boolean;
  isStaffMember: boolean;
  /** Shown only to visa-compliance staff and administrators. */
  visa: { sponsored: boolean; canEdit: boolean } | null;
  canManage: boolean;
  facts: Array<{ label: string; value: string }>;
  charts: ChartView[];
  chartsNote: string | null;
  assignments: Array<{ title: string; due: string; submitted: string; state: string; flagged: boolean }>;
  alerts: AlertView[];
  interventions: Array<{ id: string; method: string; on: string; note: string; outcome: string; followUp: string | null; by: string }>;
  knownCauses: Array<{ id: string; from: string; to: string; reason: string; by: string }>;
  dataReports: Array<{ id: string; source: string; text: string; status: string; isNew: boolean; isResolved: boolean; staffNote: string; at: string }>;
  supportiveEmail: SupportiveEmail;
  contactMethods: Array<{ value: ContactMethod; label: string }>;
  today: string;
}

function standingOf(member: Member): string {
  if (member.status === 'gone') return 'Left the module';
  if (member.status === 'inactive') return 'Inactive in Moodle';
  if (isStaffMember(member)) return 'Staff in this module';
  if (member.notLearner) return 'Not counted as a learner';
  return 'Learner';
}

/**
 * Everything staff see about one learner: their weekly figures against the cohort band, assignments,
 * alerts with their history, recorded contacts, known causes and the learner's own data reports.
 */
export async function buildLearnerPage(module: Module, member: Member, viewer: StaffViewer, now: Date): Promise<LearnerPageView> {
  const [analysis, mine, settings, alerts, interventions, causes, reports] = await Promise.all([
    moduleAnalysisForPage(module.id),
    memberFiguresForPage(module.id, member.id),
    getModuleSettings(module.id, module.createdAt, module.timeZone),
    alertsForPage(module.id, { audiences: viewer.audiences, memberId: member.id }),
    listInterventions(module.id, member.id),
    listKnownCauses(module.id, member.id),
    listDataReports(module.id, member.id),
  ]);
  const snapshot = analysis?.snapshot ?? null;
  const zone = settings.calendar.timeZone;
  const format = instantFormatter(zone);
  const name = memberDisplayName(member);
  const weeks = snapshot?.weeks ?? [];
  const judged = judgedWeeks(weeks);
  const used: Source[] = SOURCES.filter((s) => (snapshot?.lastActivityBySource[s] ?? null) !== null || (s === 'assignment' && (mine?.summary.assignments.expected ?? 0) > 0));
  const summary = mine?.summary;
  const lastLevel = judged.last && summary ? (summary.levels[judged.last.number - 1] ?? null) : null;

  return {
    memberId: member.id,
    name,
    email: member.email,
    standing: standingOf(member),
    countsAsLearner: isLearnerMember(member),
    notLearner: member.notLearner,
    isStaffMember: isStaffMember(member),
    visa: viewer.seesVisa || viewer.canEditVisa ? { sponsored: member.sponsoredVisa, canEdit: viewer.canEditVisa } : null,
    canManage: viewer.isStaff,
    facts: [
      { label: judged.last ? `Engagement level, ${weekLabel(judged.last).toLowerCase()}` : 'Engagement level', value: formatPercent(lastLevel) },
      { label: 'Assignments submitted', value: summary && summary.assignments.expected > 0 ? `${summary.assignments.submitted} of ${summary.assignments.expected}` : 'None due yet' },
      ...SOURCES.filter((s) => s !== 'assignment' && (s === 'vle' || used.includes(s))).map((s) => ({ label: `Last in ${SOURCE_LABELS[s]}`, value: lastAccessText(summary?.lastAccess[s] ?? null) })),
    ],
    charts: mine && snapshot ? memberChartSpecs(used).map((spec) => memberChart(spec, name, weeks, mine.weeks, snapshot.bands)) : [],
    chartsNote: mine && snapshot ? null : 'Weekly figures appear once Waymark has analysed this module.',
    assignments: (mine?.assignmentDetails ?? []).map((a) => ({
      title: a.title,
      due: a.dueDay ? formatDayLong(a.dueDay) : 'No due date',
      submitted: handedInText(a, formatDayLong),
      state: ASSIGNMENT_STATE_LABELS[a.state],
      flagged: a.state === 'missing' || a.state === 'late',
    })),
    alerts: alerts.map((a) => alertView(a, name, format)),
    interventions: interventions.map((i) => ({
      id: i.id,
      method: CONTACT_METHOD_LABELS[i.method],
      on: formatDayLong(i.contactedOn),
      note: i.note,
      outcome: i.outcome,
      followUp: i.followUpOn ? formatDayLong(i.followUpOn) : null,
      by: i.recordedByName || `User ${i.recordedByUserId}`,
    })),
    knownCauses: causes.map((c) => ({ id: c.id, from: formatDayLong(c.from), to: formatDayLong(c.to), reason: c.reason, by: c.createdByName || `User ${c.createdByUserId}` })),
    dataReports: reports.map((r) => ({
      id: r.id,
      source: r.source ? (SOURCE_LABELS[r.source as Source] ?? r.source) : 'Not said',
      text: r.text,
      status: REPORT_STATUS_LABELS[r.status],
      isNew: r.status === 'new',
      isResolved: r.status === 'resolved',
      staffNote: r.staffNote,
      at: format(r.createdAt),
    })),
    supportiveEmail: supportiveEmail({ givenName: member.givenName, email: member.email, moduleTitle: module.title || module.label, staffName: viewer.name, contactText: settings.contactText }),
    contactMethods: CONTACT_METHODS.map((value) => ({ value, label: CONTACT_METHOD_LABELS[value] })),
    today: todayIn(now, zone),
  };
}
