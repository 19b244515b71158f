import type { ModuleModel, WeeklyFigures } from '../module-model';
import type { CohortBands, WeekBands } from '../types';

/** What every rule reads: the module model, the weekly figures and the cohort bands. */
export interface RuleContext {
  model: ModuleModel;
  figures: WeeklyFigures;
  bands: CohortBands | null;
  bandsByWeek: Map<number, WeekBands>;
  /** Complete teaching weeks, as week indices in order: the weeks rules may judge. */
  judgeableWeeks: number[];
}

export function buildRuleContext(model: ModuleModel, figures: WeeklyFigures, bands: CohortBands | null): RuleContext {
  const judgeableWeeks: number[] = [];
  for (let w = 0; w < model.completeWeeks; w++) if (model.frame.weeks[w]?.teaching) judgeableWeeks.push(w);
  return {
    model,
    figures,
    bands,
    bandsByWeek: new Map((bands?.weeks ?? []).map((week) => [week.weekNumber, week])),
    judgeableWeeks,
  };
}

/** Only active learners who have not left get alerts; withdrawn, inactive and staff never do. */
export function isAlertable(model: ModuleModel, m: number): boolean {
  const member = model.members[m];
  return member !== undefined && member.isLearner && member.status === 'active' && (model.presence.leftIndex[m] as number) > model.todayIndex;
}
