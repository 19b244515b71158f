import { LIVE_ALERT_STATES, listAlertsOfModules, type AlertRecord } from '../store/alert-repository';
import { listSponsoredVisaMembers } from '../store/member-repository';
import { listModulesOfPlatform } from '../store/member-records-repository';
import { listModuleSnapshotsWithSummaries } from '../store/module-snapshot-repository';
import type { Member } from '../store/types';
import { buildLearnerRows } from './learner-rows';
import { formatDayLong, formatPercent } from './display-format';
import { RULE_LABELS, STATE_LABELS } from './staff-wording';

// The sponsored-visa learners of every module of one platform, for its named visa-compliance staff: read from
// what is stored (members, each module's latest analysis, alerts) in a handful of reads whatever the number of
// modules, never analysing anything.

export interface VisaAlertView {
  ruleLabel: string;
  /** Which check raised it: a learner may have several sponsored-visa alerts at once. */
  basis: string;
  since: string;
  state: string;
}

export interface VisaStudentRow {
  moduleId: string;
  moduleTitle: string;
  memberId: string;
  name: string;
  userId: string;
  lastActivity: string;
  level: string;
  alerts: VisaAlertView[];
}

export interface VisaStudentsOverview {
  rows: VisaStudentRow[];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function alertView(alert: AlertRecord): VisaAlertView {
  const basis = alert.evidence.figures.basis;
  return { ruleLabel: RULE_LABELS[alert.rule], basis: typeof basis === 'string' ? basis : '', since: formatDayLong(alert.since), state: STATE_LABELS[alert.state] };
}

export async function buildVisaStudentsOverview(platformId: string): Promise<VisaStudentsOverview> {
  const modules = await listModulesOfPlatform(platformId);
  const flagged = await listSponsoredVisaMembers(modules.map((m) => m.id));
  const moduleIds = [...new Set(flagged.map((m) => m.moduleId))];
  const [analyses, alerts] = await Promise.all([
    listModuleSnapshotsWithSummaries(moduleIds),
    listAlertsOfModules(moduleIds, { audiences: ['visa-compliance'], memberIds: flagged.map((m) => m.id), states: LIVE_ALERT_STATES }),
  ]);
  const flaggedByModule = groupBy(flagged, (m) => m.moduleId);
  const alertsByMember = groupBy(alerts, (a) => a.memberId);

  const listed: Array<{ row: VisaStudentRow; moduleOrder: number; sortName: string }> = [];
  modules.forEach((module, moduleOrder) => {
    const members = flaggedByModule.get(module.id);
    if (!members) return;
    const membersById = new Map<string, Member>(members.map((m) => [m.id, m]));
    const analysis = analyses.get(module.id);
    // The dashboard's own row rules decide who is still a learner and what "latest level" means.
    for (const row of buildLearnerRows(members, analysis?.summaries ?? [], [], analysis?.snapshot.weeks ?? [])) {
      const view: VisaStudentRow = {
        moduleId: module.id,
        moduleTitle: module.title || module.label || module.contextId,
        memberId: row.memberId,
        name: row.name,
        userId: membersById.get(row.memberId)?.userId ?? '',
        lastActivity: !row.analysed ? 'Not analysed yet' : row.lastAccessAny ? formatDayLong(row.lastAccessAny) : 'Never',
        level: row.analysed ? formatPercent(row.level) : 'Not analysed yet',
        alerts: (alertsByMember.get(row.memberId) ?? []).map(alertView),
      };
      listed.push({ row: view, moduleOrder, sortName: row.sortName });
    }
  });

  // Learners who need attention first; then by module and name, as every other list reads.
  const needsAttention = (e: { row: VisaStudentRow }) => Number(e.row.alerts.length > 0);
  listed.sort((a, b) => needsAttention(b) - needsAttention(a) || a.moduleOrder - b.moduleOrder || a.sortName.localeCompare(b.sortName, 'en-GB'));
  return { rows: listed.map((e) => e.row) };
}
