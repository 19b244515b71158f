import { resolveThresholds, type AlertThresholds } from '../engagement';

// "When someone may get in touch", in plain words, from the thresholds this module uses: Queen Mary's policy asks
// that students are told what the minimum expected engagement is and what the interventions look like.

/** One sentence per prompt for a supportive contact a student can meet, with the module's own figures. */
export function explainContactPrompts(overrides: Partial<AlertThresholds>, minimumLevel: number | null): string[] {
  const t = resolveThresholds(overrides);
  const low =
    minimumLevel === null
      ? 'among the lowest quarter of the module (this module has set no minimum, so each week is compared with the rest of the module)'
      : `below the module’s minimum of ${minimumLevel}`;
  return [
    `You have had no activity in the module’s systems for more than ${t.noEngagementDays} teaching days in a row. Opening Waymark does not count as activity.`,
    `Your weekly level was ${low} in ${t.persistentLowWeeks} of the last ${t.persistentLowWindow} teaching weeks.`,
    `Your level last week fell below ${Math.round(t.suddenDropRatio * 100)}% of your usual level.`,
  ];
}
