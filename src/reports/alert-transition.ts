import type { AlertState } from '../engagement';
import type { AlertRecord, AlertStateChange } from '../store/alert-repository';

export const ALERT_ACTIONS = ['acknowledge', 'contact', 'resolve', 'dismiss', 'reopen'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

const LIVE: readonly AlertState[] = ['open', 'acknowledged', 'contacted'];

/**
 * The state change a person's action asks for, or why it cannot apply to the alert as it now is (someone
 * else may have changed it since the page was loaded).
 */
export function transitionFor(alert: AlertRecord, action: AlertAction, input: { note: string; reason: string }): { change: AlertStateChange } | { refused: string } {
  const live = LIVE.includes(alert.state);
  switch (action) {
    case 'acknowledge':
      return alert.state === 'open' ? { change: { state: 'acknowledged', note: input.note } } : { refused: 'This alert is no longer open; reload the page to see its current state.' };
    case 'contact':
      if (!live) return { refused: 'This alert is already closed; reopen it first if you need to record a contact on it.' };
      if (!input.note) return { refused: 'What happened: say briefly how you made contact.' };
      return { change: { state: 'contacted', note: input.note } };
    case 'resolve':
      return live ? { change: { state: 'resolved', note: input.note } } : { refused: 'This alert is already closed.' };
    case 'dismiss':
      if (!live) return { refused: 'This alert is already closed.' };
      if (input.reason.length < 3) return { refused: 'Why no contact is needed: give a short reason; it is kept with the alert.' };
      return { change: { state: 'dismissed', note: input.note, dismissReason: input.reason } };
    case 'reopen':
      // Waymark closes alerts when the data changes; only a person's closing is a person's to undo.
      return !live && alert.closedBy === 'staff' ? { change: { state: 'open', note: input.note } } : { refused: 'Only an alert closed by staff can be reopened.' };
  }
}
