// Messages shown after a change; the URL carries only the key, so no user text is ever echoed from it.
const NOTICES: Record<string, string> = {
  'digest-on': 'You will get a weekly email when new alerts appear in this module. It names no student and carries no sign-in link.',
  'digest-off': 'You will no longer get the weekly email for this module.',
  'alert-acknowledged': 'Alert acknowledged.',
  'alert-contacted': 'Contact recorded on the alert.',
  'alert-resolved': 'Alert resolved.',
  'alert-dismissed': 'Alert dismissed with your reason.',
  'alert-reopened': 'Alert reopened.',
  'contact-recorded': 'Supportive contact recorded.',
  'cause-added': 'Known cause added. Its days no longer count towards a no-engagement alert.',
  'cause-removed': 'Known cause removed.',
  'report-updated': 'The student’s data report was updated.',
  'learner-flag-updated': 'Saved. The figures have been recomputed.',
  'visa-updated': 'Sponsored-visa status saved.',
  'settings-saved': 'Settings saved and the module’s figures recomputed.',
};

export function noticeFor(key: unknown): string | null {
  return typeof key === 'string' ? (NOTICES[key] ?? null) : null;
}
