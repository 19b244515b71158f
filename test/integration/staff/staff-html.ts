// Reading Waymark's server-rendered staff pages in tests, without a DOM.
import type { BrowserPage } from '../../platform';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'", '&#x3D;': '=', '&#x60;': '`' };

export function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#x27|#39|#x3D|#x60);/g, (m) => ENTITIES[m] ?? m);
}

/** The learner table's body. */
export function learnerTable(html: string): string {
  return /<table class="data-table learner-table">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
}

/** Names in the learner table, in the order shown. */
export function learnerNames(html: string): string[] {
  return [...learnerTable(html).matchAll(/<th scope="row"><a [^>]*>([^<]*)<\/a>/g)].map((m) => decode(m[1] ?? ''));
}

/** One learner's table row. */
export function learnerRow(html: string, name: string): string {
  const rows = learnerTable(html).split('</tr>');
  return rows.find((row) => decode(row).includes(`>${name}</a>`)) ?? '';
}

export function csrfOf(page: BrowserPage): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1];
  if (!token) throw new Error(`No CSRF token on ${page.url}`);
  return token;
}

/** The count shown for a rule in the dashboard's summary. */
export function ruleCount(html: string, rule: string): number {
  return Number(new RegExp(`<span class="count" data-rule="${rule}">(\\d+)</span>`).exec(html)?.[1] ?? NaN);
}

export function heading(html: string): string {
  return decode(/<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1] ?? '');
}

/** Text of every alert card, with its rule. */
export function alertCards(html: string): Array<{ id: string; rule: string; text: string }> {
  return [...html.matchAll(/<article class="alert-card[^"]*"[^>]*data-alert-id="([^"]+)" data-rule="([^"]+)">([\s\S]*?)<\/article>/g)].map((m) => ({
    id: m[1] ?? '',
    rule: m[2] ?? '',
    text: decode((m[3] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')),
  }));
}

/** The page's visible text, tags stripped, for "does not mention" checks. */
export function textOf(html: string): string {
  return decode(html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
}
