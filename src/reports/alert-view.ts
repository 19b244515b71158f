import { formatDay, type AlertRule, type AlertState } from '../engagement';
import type { AlertRecord } from '../store/alert-repository';
import { RULE_DESCRIPTIONS, RULE_LABELS, STATE_LABELS } from './staff-wording';

export interface AlertHistoryView {
  at: string;
  who: string;
  what: string;
  note: string;
}

/** One alert as staff read it, with the actions its state allows. */
export interface AlertView {
  id: string;
  memberId: string;
  memberName: string;
  rule: AlertRule;
  ruleLabel: string;
  ruleDescription: string;
  visaOnly: boolean;
  state: AlertState;
  stateLabel: string;
  live: boolean;
  since: string;
  evidence: string;
  opened: string;
  closedNote: string | null;
  history: AlertHistoryView[];
  can: { acknowledge: boolean; contact: boolean; resolve: boolean; dismiss: boolean; reopen: boolean };
}

const HISTORY_WORDS: Record<AlertRecord['history'][number]['kind'], string> = {
  opened: 'Opened by Waymark',
  refreshed: 'Evidence updated',
  state: 'Marked',
  closed: 'Closed by Waymark: the rule no longer holds',
};

function historyLine(entry: AlertRecord['history'][number], format: (d: Date) => string): AlertHistoryView {
  return {
    at: format(entry.at),
    who: entry.actorUserId === null ? 'Waymark' : entry.actorName || `User ${entry.actorUserId}`,
    what: entry.kind === 'state' ? `${HISTORY_WORDS.state} ${STATE_LABELS[entry.state].toLowerCase()}` : HISTORY_WORDS[entry.kind],
    // The opening entry repeats the evidence, which the card already shows.
    note: entry.kind === 'opened' ? '' : entry.note,
  };
}

export function alertView(alert: AlertRecord, memberName: string, format: (d: Date) => string): AlertView {
  const live = alert.state === 'open' || alert.state === 'acknowledged' || alert.state === 'contacted';
  const closedNote =
    alert.state === 'dismissed'
      ? `Dismissed: ${alert.dismissReason}`
      : alert.state === 'resolved'
        ? alert.closedBy === 'waymark'
          ? alert.closeExplanation
          : 'Resolved by staff.'
        : null;
  return {
    id: alert.id,
    memberId: alert.memberId,
    memberName,
    rule: alert.rule,
    ruleLabel: RULE_LABELS[alert.rule],
    ruleDescription: RULE_DESCRIPTIONS[alert.rule],
    visaOnly: alert.audience === 'visa-compliance',
    state: alert.state,
    stateLabel: STATE_LABELS[alert.state],
    live,
    since: formatDay(alert.since),
    evidence: alert.evidence.text,
    opened: format(alert.openedAt),
    closedNote,
    history: alert.history.map((h) => historyLine(h, format)),
    can: {
      acknowledge: alert.state === 'open',
      contact: live,
      resolve: live,
      dismiss: live,
      // Only a person's closing can be undone by a person; Waymark's closing follows the data.
      reopen: !live && alert.closedBy === 'staff',
    },
  };
}
