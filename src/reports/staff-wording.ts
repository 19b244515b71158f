import type { AlertRule, AlertState, Source } from '../engagement';

// How staff pages name the engine's vocabulary; one place so every page, export and email agree.

export const RULE_LABELS: Record<AlertRule, string> = {
  noEngagement: 'No engagement',
  persistentLow: 'Persistently low',
  suddenDrop: 'Sudden drop',
  sponsoredVisa: 'Sponsored visa',
};

export const RULE_DESCRIPTIONS: Record<AlertRule, string> = {
  noEngagement: 'No activity in any source for longer than the module allows (non-teaching days and known causes are not counted).',
  persistentLow: 'Weekly engagement below the module minimum (or the cohort’s lower quartile) in most recent teaching weeks.',
  suddenDrop: 'Last week well below the learner’s own usual level.',
  sponsoredVisa: 'A stricter check for sponsored-visa learners, seen only by visa-compliance staff.',
};

export const RULE_ORDER: readonly AlertRule[] = ['noEngagement', 'persistentLow', 'suddenDrop', 'sponsoredVisa'];

export const STATE_LABELS: Record<AlertState, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  contacted: 'Contacted',
  resolved: 'Resolved',
  dismissed: 'Dismissed',
};

export const SOURCE_LABELS: Record<Source, string> = {
  vle: 'Moodle',
  launch: 'Waymark',
  assignment: 'Assignments',
  meeting: 'Teams',
  recording: 'Echo360',
};

export const SOURCE_DESCRIPTIONS: Record<Source, string> = {
  vle: 'Moodle activity',
  launch: 'Opening Waymark',
  assignment: 'Assignment submissions',
  meeting: 'Teams meetings attended',
  recording: 'Echo360 recordings viewed',
};
