/** Small HTML writers for the platform's own pages; every script is an external file so pages work under a strict CSP. */

export const AUTO_SUBMIT_SCRIPT_PATH = '/platform-assets/auto-submit.js';

/** Submits the page's auto-submit form once the document has parsed (the script tag sits after the form). */
export const AUTO_SUBMIT_SCRIPT = `(function () {
  var form = document.querySelector('form[data-auto-submit]');
  if (form) form.submit();
})();
`;

/** Header for every platform HTML page: no inline script may run. */
export const PAGE_CSP = "script-src 'self'; object-src 'none'; base-uri 'none'";

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface AutoSubmitForm {
  action: string;
  fields: Record<string, string>;
  /** Where the form posts, e.g. `_top` to leave an iframe. */
  target?: string;
}

export function autoSubmitFormHtml(issuer: string, form: AutoSubmitForm): string {
  const inputs = Object.entries(form.fields)
    .map(([name, value]) => `    <input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const target = form.target ? ` target="${escapeHtml(form.target)}"` : '';
  return `<form method="post" action="${escapeHtml(form.action)}"${target} data-auto-submit>
${inputs}
    <noscript><button type="submit">Continue</button></noscript>
  </form>
  <script src="${escapeHtml(issuer + AUTO_SUBMIT_SCRIPT_PATH)}"></script>`;
}

export function htmlDocument(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escapeHtml(title)}</title>
</head>
<body>
  ${body}
</body>
</html>
`;
}

export function autoSubmitPage(issuer: string, title: string, form: AutoSubmitForm): string {
  return htmlDocument(title, autoSubmitFormHtml(issuer, form));
}
