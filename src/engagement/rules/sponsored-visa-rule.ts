import { sponsoredVisaEvidence } from '../alert-evidence';
import type { AlertCandidate } from '../types';
import { noEngagementAlert, noEngagementFinding, type InactivityGap } from './no-engagement-rule';
import type { RuleContext } from './rule-context';

const BASIS_BY_RULE: Record<string, string> = {
  noEngagement: 'no engagement',
  persistentLow: 'persistent low engagement',
  suddenDrop: 'sudden drop',
};

function asVisaAlert(staffAlert: AlertCandidate, basis: string): AlertCandidate {
  return {
    ...staffAlert,
    rule: 'sponsoredVisa',
    audience: 'visa-compliance',
    key: `sponsored-visa/${staffAlert.key}`,
    evidence: sponsoredVisaEvidence(basis, staffAlert.evidence),
  };
}

/**
 * Sponsored-visa members: the stricter no-engagement gap (it also covers the ordinary one, being the
 * same episode) plus every other staff alert, for visa-compliance staff only. Ordinary staff alerts
 * are raised separately and stay as they are.
 */
export function sponsoredVisaAlerts(context: RuleContext, m: number, gap: InactivityGap | null, staffAlerts: readonly AlertCandidate[]): AlertCandidate[] {
  if (!context.model.members[m]?.sponsoredVisa) return [];
  const alerts: AlertCandidate[] = [];
  const visaGap = noEngagementFinding(context, gap, context.model.thresholds.visaNoEngagementDays);
  if (visaGap) alerts.push(asVisaAlert(noEngagementAlert(context, m, visaGap), `no engagement for more than ${plural(visaGap.threshold)}`));
  for (const staffAlert of staffAlerts) {
    if (staffAlert.rule !== 'noEngagement') alerts.push(asVisaAlert(staffAlert, BASIS_BY_RULE[staffAlert.rule] ?? staffAlert.rule));
  }
  return alerts;
}

function plural(days: number): string {
  return days === 1 ? '1 teaching day' : `${days} teaching days`;
}
