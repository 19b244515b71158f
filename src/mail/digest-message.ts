import type { AlertRule } from '../engagement';
import { RULE_LABELS, RULE_ORDER } from '../reports/staff-wording';

export interface DigestMessage {
  subject: string;
  text: string;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The weekly digest: counts only. It names no student anywhere (email travels further than Waymark's pages)
 * and carries no link, so it can never become a way in: staff open Waymark from the Moodle course.
 */
export function digestMessage(o: {
  recipientName: string;
  moduleTitle: string;
  sinceText: string;
  counts: Partial<Record<AlertRule, number>>;
  /** Students' reports of incorrect data that nobody on the staff has looked at yet. */
  waitingReports: number;
}): DigestMessage {
  const total = RULE_ORDER.reduce((sum, rule) => sum + (o.counts[rule] ?? 0), 0);
  const lines = RULE_ORDER.filter((rule) => (o.counts[rule] ?? 0) > 0).map((rule) => `  - ${RULE_LABELS[rule]}: ${o.counts[rule]}`);
  const reports = `${plural(o.waitingReports, 'report')} from students about data they believe is wrong ${o.waitingReports === 1 ? 'waits' : 'wait'} for a reply`;
  const subject = total > 0 ? `Waymark: ${plural(total, 'new engagement alert')} in ${o.moduleTitle}` : `Waymark: ${plural(o.waitingReports, 'student report')} waiting in ${o.moduleTitle}`;
  const text = [
    o.recipientName ? `Hello ${o.recipientName},` : 'Hello,',
    '',
    ...(total > 0 ? [`Since ${o.sinceText}, Waymark has raised ${plural(total, 'new alert')} in ${o.moduleTitle}:`, ...lines, ''] : []),
    ...(o.waitingReports > 0 ? [`In ${o.moduleTitle}, ${reports}.`, ''] : []),
    'Each alert is a prompt for a supportive conversation, not a judgement, and nothing has been sent to any student.',
    `To see whom they concern and why, open Waymark from the ${o.moduleTitle} course page in Moodle.`,
    '',
    'This email names no student and contains no link: Waymark opens only from Moodle.',
    'You receive it because you chose the weekly email for this module. To stop it, open Waymark from the course and choose “Stop the weekly email”.',
  ].join('\n');
  return { subject, text };
}
