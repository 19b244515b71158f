/** Moodle's limit/from paging and the two ways its services write the Link header. */

export interface Page<T> {
  items: T[];
  from: number;
  /** 0 = no paging: everything in one response, as Moodle does when no limit is asked for. */
  limit: number;
  total: number;
  hasNext: boolean;
}

export function pageOf<T>(all: T[], from: number, limit: number): Page<T> {
  if (limit <= 0) return { items: all, from: 0, limit: 0, total: all.length, hasNext: false };
  return { items: all.slice(from, from + limit), from, limit, total: all.length, hasNext: from + limit < all.length };
}

/** NRPS writes an RFC 8288 link with straight quotes. */
export function nrpsNextLink(nextUrl: string): string {
  return `<${nextUrl}>; rel="next"`;
}

/**
 * AGS writes first/prev/canonical/next/last with curly quotes (rel=“next”), sent as raw UTF-8 bytes the way
 * PHP emits them; Node only passes such bytes through when handed a latin1 string, hence the re-encoding.
 */
export function agsLinkHeader(page: Page<unknown>, urlFrom: (from: number) => string): string {
  const lastFrom = Math.max(page.total - page.limit + 1, 0);
  const links: Array<[string, number]> = [['first', 0]];
  if (page.from > 0 && page.from < page.total) links.push(['prev', Math.max(page.from - page.limit, 0)]);
  links.push(['canonical', page.from]);
  if (page.hasNext) links.push(['next', page.from + page.limit]);
  links.push(['last', lastFrom]);
  const header = links.map(([rel, from]) => `<${urlFrom(from)}>; rel=\u201c${rel}\u201d`).join(', ');
  return Buffer.from(header, 'utf8').toString('latin1');
}
