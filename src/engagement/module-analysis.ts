import { indexActivity, usedSources } from './activity-index';
import { DEFAULT_SOURCE_LABELS } from './alert-evidence';
import { checkAlertThresholds, resolveThresholds } from './alert-thresholds';
import { buildAssignmentBook } from './assignment-status';
import { cohortBands } from './cohort-bands';
import { computeLevels } from './engagement-level';
import { refuseProblems } from './engagement-input-error';
import { createInstantResolver } from './instant-days';
import { checkModuleMarkers, DEFAULT_MARKERS } from './markers';
import { computeWeeklyValues, memberIndicators } from './member-indicators';
import { buildPresence } from './member-presence';
import { checkModuleCalendar, createDayKeyMemo, dayNumber, isDayKey } from './module-calendar';
import type { ModuleModel } from './module-model';
import { noEngagementAlert, noEngagementFinding, inactivityGap } from './rules/no-engagement-rule';
import { persistentLowAlert, persistentLowFinding } from './rules/persistent-low-rule';
import { buildRuleContext, isAlertable, type RuleContext } from './rules/rule-context';
import { sponsoredVisaAlerts } from './rules/sponsored-visa-rule';
import { suddenDropAlert, suddenDropFinding } from './rules/sudden-drop-rule';
import { judgeWeeks } from './rules/weekly-judgement';
import { frameCalendar, DAYS_PER_WEEK } from './teaching-weeks';
import type { AlertCandidate, AnalysedWeek, MemberInfo, ModuleAnalysis, ModuleAnalysisInput } from './types';

function byMemberId(a: MemberInfo, b: MemberInfo): number {
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}

function checkInput(input: ModuleAnalysisInput, members: readonly MemberInfo[]): void {
  const problems = [...checkModuleCalendar(input.calendar)];
  if (!isDayKey(input.today)) problems.push(`today "${input.today}" must be a day written YYYY-MM-DD.`);
  if (input.markers) problems.push(...checkModuleMarkers(input.markers));
  problems.push(...checkAlertThresholds(resolveThresholds(input.thresholds)));
  members.forEach((member, i) => {
    if (i > 0 && members[i - 1]?.memberId === member.memberId) problems.push(`member ${member.memberId} is listed twice: list each member once.`);
  });
  refuseProblems(problems);
}

function buildModel(input: ModuleAnalysisInput): ModuleModel {
  const members = [...input.members].sort(byMemberId);
  checkInput(input, members);
  const frame = frameCalendar(input.calendar);
  const memberIndex = new Map(members.map((member, m) => [member.memberId, m]));
  const todayIndex = dayNumber(input.today) - frame.origin;
  const resolve = createInstantResolver(input.calendar.timeZone);
  const activity = indexActivity(input.activity, memberIndex, frame, todayIndex);
  return {
    today: input.today,
    todayIndex,
    frame,
    members,
    memberIndex,
    presence: buildPresence(members, memberIndex, input.knownCauses, frame),
    activity,
    assignments: buildAssignmentBook(input.assignments, input.submissions, memberIndex, frame, input.today, resolve),
    markers: input.markers ?? DEFAULT_MARKERS,
    thresholds: resolveThresholds(input.thresholds),
    labels: { ...DEFAULT_SOURCE_LABELS, ...input.sourceLabels },
    sources: usedSources(activity),
    dayKey: createDayKeyMemo(),
    startedWeeks: todayIndex < 0 ? 0 : Math.min(frame.weeks.length, Math.floor(todayIndex / DAYS_PER_WEEK) + 1),
    completeWeeks: todayIndex < 0 ? 0 : Math.min(frame.weeks.length, Math.floor(todayIndex / DAYS_PER_WEEK)),
  };
}

function memberAlerts(context: RuleContext, m: number): AlertCandidate[] {
  if (!isAlertable(context.model, m)) return [];
  const gap = inactivityGap(context, m);
  const noEngagement = noEngagementFinding(context, gap, context.model.thresholds.noEngagementDays);
  const weeks = judgeWeeks(context, m);
  const persistentLow = persistentLowFinding(context, weeks);
  const suddenDrop = suddenDropFinding(context, weeks);
  const staff = [
    noEngagement && noEngagementAlert(context, m, noEngagement),
    persistentLow && persistentLowAlert(context, m, persistentLow),
    suddenDrop && suddenDropAlert(context, m, suddenDrop),
  ].filter((alert): alert is AlertCandidate => alert !== null);
  return [...staff, ...sponsoredVisaAlerts(context, m, gap, staff)];
}

function analysedWeeks(model: ModuleModel): AnalysedWeek[] {
  return model.frame.weeks.map((week, w) => ({ ...week, started: w < model.startedWeeks, complete: w < model.completeWeeks }));
}

/**
 * The one entry point: indicators per member, cohort bands and alert candidates for a module as of
 * `today`. Pure and deterministic; members, weeks and alerts come out in a stable order whatever the
 * order of the input.
 */
export function analyseModule(input: ModuleAnalysisInput): ModuleAnalysis {
  const model = buildModel(input);
  const values = computeWeeklyValues(model);
  const figures = { values, levels: computeLevels(model, values) };
  const bands = cohortBands(model, figures);
  const context = buildRuleContext(model, figures, bands);
  return {
    today: model.today,
    weeks: analysedWeeks(model),
    members: model.members.map((_, m) => memberIndicators(model, figures, m)),
    bands,
    alerts: model.members.flatMap((_, m) => memberAlerts(context, m)),
    markers: model.markers,
    thresholds: model.thresholds,
  };
}
