/** A hand parser for the few forms the LTI flow auto-submits; enough for platform and tool pages, not general HTML. */

export interface HtmlForm {
  action: string;
  method: 'get' | 'post';
  fields: Record<string, string>;
}

const FORM = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
const INPUT = /<input\b([^>]*)>/gi;
const TEXTAREA = /<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi;
const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
const NOT_SUBMITTED = new Set(['submit', 'button', 'image', 'file', 'reset']);

/**
 * The form a page submits by itself: one marked data-auto-submit (our pages), or the first form when the
 * page script calls .submit() on load (ltijs and Moodle pages).
 */
export function findAutoSubmitForm(html: string, pageUrl: string): HtmlForm | undefined {
  const forms = [...html.matchAll(FORM)];
  const marked = forms.find((match) => 'data-auto-submit' in attributesOf(match[1] ?? ''));
  const scripted = /\.submit\(\s*\)/.test(html) ? forms[0] : undefined;
  const chosen = marked ?? scripted;
  return chosen ? formOf(chosen[1] ?? '', chosen[2] ?? '', pageUrl) : undefined;
}

function formOf(attributeText: string, inner: string, pageUrl: string): HtmlForm {
  const attributes = attributesOf(attributeText);
  const fields: Record<string, string> = {};
  for (const input of inner.matchAll(INPUT)) {
    const a = attributesOf(input[1] ?? '');
    const type = (a.type ?? 'text').toLowerCase();
    if (!a.name || NOT_SUBMITTED.has(type)) continue;
    if ((type === 'checkbox' || type === 'radio') && !('checked' in a)) continue;
    fields[a.name] = a.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : '');
  }
  for (const textarea of inner.matchAll(TEXTAREA)) {
    const name = attributesOf(textarea[1] ?? '').name;
    if (name) fields[name] = decodeEntities(textarea[2] ?? '');
  }
  return {
    action: new URL(attributes.action || pageUrl, pageUrl).toString(),
    method: (attributes.method ?? 'get').toLowerCase() === 'post' ? 'post' : 'get',
    fields,
  };
}

function attributesOf(text: string): Record<string, string | undefined> {
  const attributes: Record<string, string | undefined> = {};
  for (const match of text.matchAll(ATTRIBUTE)) {
    const name = match[1]?.toLowerCase();
    if (!name) continue;
    const raw = match[2] ?? match[3] ?? match[4];
    attributes[name] = raw === undefined ? '' : decodeEntities(raw);
  }
  return attributes;
}

/** What a browser reads from HTML text or an attribute value. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_entity, code: string) => {
    const lower = code.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[lower] ?? '';
  });
}
