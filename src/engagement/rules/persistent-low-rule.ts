import { persistentLowEvidence } from '../alert-evidence';
import type { AlertCandidate } from '../types';
import type { RuleContext } from './rule-context';
import { currentRunStart, referenceKind, type JudgedWeek, type ReferenceKind } from './weekly-judgement';

export interface PersistentLowFinding {
  /** Week index where the episode began: its first low week. */
  firstLowWeek: number;
  /** The last `window` complete teaching weeks, oldest first. */
  window: JudgedWeek[];
  lowWeeks: number;
  referenceKind: ReferenceKind;
}

function isLow(week: JudgedWeek): boolean {
  return week.judged && (week.level as number) < (week.reference as number);
}

/** Whether the rule held at each week in turn: low weeks counted over a window sliding along the weeks. */
function heldAtEachWeek(low: readonly boolean[], required: number, window: number): boolean[] {
  const held: boolean[] = [];
  let lowInWindow = 0;
  for (let j = 0; j < low.length; j++) {
    if (low[j]) lowInWindow++;
    if (j >= window && low[j - window]) lowInWindow--;
    held.push(lowInWindow >= required);
  }
  return held;
}

/**
 * Level below the reference in at least `persistentLowWeeks` of the last `persistentLowWindow` complete
 * teaching weeks. Weeks before enrolment, excused by a known cause or without a reference are never low.
 */
export function persistentLowFinding(context: RuleContext, weeks: readonly JudgedWeek[]): PersistentLowFinding | null {
  const { persistentLowWeeks, persistentLowWindow } = context.model.thresholds;
  const low = weeks.map(isLow);
  const runStart = currentRunStart(heldAtEachWeek(low, persistentLowWeeks, persistentLowWindow));
  if (runStart === null) return null;
  const firstLow = low.indexOf(true, Math.max(0, runStart - persistentLowWindow + 1));
  const window = weeks.slice(Math.max(0, weeks.length - persistentLowWindow));
  return {
    firstLowWeek: (weeks[firstLow] as JudgedWeek).weekIndex,
    window,
    lowWeeks: window.filter(isLow).length,
    referenceKind: referenceKind(context),
  };
}

export function persistentLowAlert(context: RuleContext, m: number, finding: PersistentLowFinding): AlertCandidate {
  const since = context.model.frame.weeks[finding.firstLowWeek]!.start;
  return {
    memberId: context.model.members[m]!.memberId,
    rule: 'persistentLow',
    audience: 'staff',
    key: `persistent-low/${since}`,
    since,
    evidence: persistentLowEvidence(context.model, finding),
  };
}
