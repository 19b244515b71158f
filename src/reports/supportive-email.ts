// A gentle first message staff can copy or open in their mail program; Waymark never sends it.

export interface SupportiveEmail {
  to: string;
  subject: string;
  body: string;
  /** mailto: link with the subject and body filled in; null when Moodle shared no address. */
  mailto: string | null;
}

/**
 * Written to open a conversation, not to report figures (policy: no decision on data alone, every student
 * studies in their own way): it mentions no data, offers help and makes replying easy.
 */
export function supportiveEmail(o: { givenName: string; email: string; moduleTitle: string; staffName: string; contactText: string }): SupportiveEmail {
  const greeting = o.givenName ? `Hello ${o.givenName},` : 'Hello,';
  const signOff = o.staffName || 'Your module team';
  const contact = o.contactText.trim() ? `\n\n${o.contactText.trim()}` : '';
  const subject = `Checking in: ${o.moduleTitle}`;
  const body =
    `${greeting}\n\n` +
    `I’m getting in touch from ${o.moduleTitle} to see how you are getting on with the module.\n\n` +
    'If anything is making it harder to keep up at the moment, whether it is to do with your studies, your health, money or anything else, ' +
    'I would be glad to talk it through, and I can point you to support if that would help. You do not need to explain anything you would rather not.\n\n' +
    `You can simply reply to this email, or suggest a time to talk.${contact}\n\n` +
    `Best wishes,\n${signOff}`;
  const mailto = o.email ? `mailto:${encodeURI(o.email)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}` : null;
  return { to: o.email, subject, body, mailto };
}
