/** A Waymark page's address with its launch token (when given) and query parameters, as a link on a page carries them. */
export function appUrl(baseUrl: string, path: string, ltik: string | undefined, query: Record<string, string> = {}): string {
  const url = new URL(`${baseUrl}${path}`);
  if (ltik !== undefined) url.searchParams.set('ltik', ltik);
  for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
  return url.toString();
}
