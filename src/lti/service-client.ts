// HTTP for LTI Advantage services (NRPS, AGS): timeouts, retries with backoff, and Link-header paging.

export class ServiceError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
  }
}

export interface ServiceRequestOptions {
  accept: string;
  token: string;
  timeoutMs?: number;
  attempts?: number;
  backoffMs?: number;
  maxPages?: number;
}

/**
 * Node's fetch hands header bytes over as latin1 characters; Moodle's AGS sends its curly quotes as raw UTF-8,
 * so they arrive as mojibake (â\u0080\u009c) until read back as UTF-8. Plain ASCII headers come through unchanged.
 */
export function decodeHeaderBytes(header: string | null): string | null {
  if (!header || !/[\u0080-\u00ff]/.test(header)) return header;
  return Buffer.from(header, 'latin1').toString('utf8');
}

/** Finds rel="next" in a Link header, also when written with curly quotes as Moodle's AGS does. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (!match) continue;
    const params = match[2]!.replace(/[\u201C\u201D\u2018\u2019]/g, '"');
    if (/\brel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(params)) return match[1]!;
  }
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function fetchWithRetry(url: string, o: ServiceRequestOptions): Promise<Response> {
  const attempts = o.attempts ?? 3;
  let lastError: ServiceError = new ServiceError('not attempted', null);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetch(url, {
        headers: { Authorization: `Bearer ${o.token}`, Accept: o.accept },
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
      if (res.ok) return res;
      lastError = new ServiceError(`${new URL(url).host} answered ${res.status}`, res.status);
      // Client errors will not get better by asking again.
      if (res.status < 500 && res.status !== 429) throw lastError;
    } catch (err) {
      if (err instanceof ServiceError && err.status !== null && err.status < 500 && err.status !== 429) throw err;
      if (!(err instanceof ServiceError)) {
        const e = err as Error;
        lastError = new ServiceError(e.name === 'TimeoutError' ? `${new URL(url).host} did not answer in time` : `${new URL(url).host} could not be reached`, null);
      }
    }
    if (attempt < attempts) await sleep((o.backoffMs ?? 500) * 2 ** (attempt - 1));
  }
  throw lastError;
}

/** GETs a paged service collection, following Link rel="next" until the end. */
export async function getAllPages<T>(firstUrl: string, o: ServiceRequestOptions, readPage: (body: unknown) => T[]): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let url: string | null = firstUrl;
  const maxPages = o.maxPages ?? 1000;
  while (url && !seen.has(url) && seen.size < maxPages) {
    seen.add(url);
    const res = await fetchWithRetry(url, o);
    items.push(...readPage(await res.json()));
    const next = nextLink(decodeHeaderBytes(res.headers.get('link')));
    url = next ? new URL(next, url).toString() : null;
  }
  return items;
}
