/** A browser cookie store with Chromium's rules for Secure, SameSite and Partitioned, keyed per host:port. */

export type SameSite = 'Strict' | 'Lax' | 'None';

export interface BrowserCookie {
  name: string;
  value: string;
  path: string;
  /** Epoch milliseconds; undefined for a session cookie. */
  expiresAt?: number;
  secure: boolean;
  httpOnly: boolean;
  /** As the server wrote it; undefined is treated as Lax, Chromium's default. */
  sameSite?: SameSite;
  partitioned: boolean;
}

/** Chromium counts http://localhost and loopback addresses as secure contexts, so Secure cookies work there. */
export function isSecureContext(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  const host = url.hostname;
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
}

/** Schemeful site: scheme plus registrable domain (approximated as the last two labels); ports do not count. */
export function siteOf(url: URL): string {
  const host = url.hostname;
  const isAddress = /^[\d.]+$/.test(host) || host.startsWith('[');
  const labels = host.split('.');
  const registrable = isAddress || labels.length <= 2 ? host : labels.slice(-2).join('.');
  return `${url.protocol}//${registrable}`;
}

export class CookieJar {
  private readonly byHost = new Map<string, BrowserCookie[]>();

  store(url: URL, setCookieHeaders: string[]): void {
    for (const header of setCookieHeaders) {
      const parsed = parseSetCookie(header, url);
      if (parsed) this.put(url.host, parsed.cookie, parsed.deleteOnly);
    }
  }

  /** The Cookie header for a top-level navigation; crossSite says whether the navigation came from another site. */
  cookieHeader(url: URL, crossSite: boolean, method: string): string | undefined {
    const now = Date.now();
    const sendable = (this.byHost.get(url.host) ?? [])
      .filter((c) => c.expiresAt === undefined || c.expiresAt > now)
      .filter((c) => pathMatches(url.pathname, c.path))
      .filter((c) => !c.secure || isSecureContext(url))
      .filter((c) => !crossSite || c.sameSite === 'None' || (c.sameSite !== 'Strict' && method === 'GET'))
      .sort((a, b) => b.path.length - a.path.length);
    return sendable.length === 0 ? undefined : sendable.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  list(host: string): BrowserCookie[] {
    const now = Date.now();
    return (this.byHost.get(host) ?? []).filter((c) => c.expiresAt === undefined || c.expiresAt > now).map((c) => ({ ...c }));
  }

  private put(host: string, cookie: BrowserCookie, deleteOnly: boolean): void {
    const kept = (this.byHost.get(host) ?? []).filter((c) => c.name !== cookie.name || c.path !== cookie.path);
    if (!deleteOnly) kept.push(cookie);
    this.byHost.set(host, kept);
  }
}

function parseSetCookie(header: string, url: URL): { cookie: BrowserCookie; deleteOnly: boolean } | undefined {
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const cookie: BrowserCookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    path: defaultPath(url.pathname),
    secure: false,
    httpOnly: false,
    partitioned: false,
  };
  let maxAge: number | undefined;
  let expires: number | undefined;
  let hasDomain = false;
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'partitioned') cookie.partitioned = true;
    else if (key === 'samesite') cookie.sameSite = sameSiteOf(value);
    else if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value);
    else if (key === 'expires' && !Number.isNaN(Date.parse(value))) expires = Date.parse(value);
    else if (key === 'domain') hasDomain = true;
  }
  // Chromium drops these outright rather than storing a weakened cookie.
  if (cookie.secure && !isSecureContext(url)) return undefined;
  if ((cookie.sameSite === 'None' || cookie.partitioned) && !cookie.secure) return undefined;
  if (cookie.name.startsWith('__Secure-') && !cookie.secure) return undefined;
  if (cookie.name.startsWith('__Host-') && (!cookie.secure || cookie.path !== '/' || hasDomain)) return undefined;

  const expiresAt = maxAge !== undefined ? Date.now() + maxAge * 1000 : expires;
  if (expiresAt !== undefined) cookie.expiresAt = expiresAt;
  return { cookie, deleteOnly: expiresAt !== undefined && expiresAt <= Date.now() };
}

function sameSiteOf(value: string): SameSite | undefined {
  const lower = value.toLowerCase();
  if (lower === 'strict') return 'Strict';
  if (lower === 'lax') return 'Lax';
  if (lower === 'none') return 'None';
  return undefined;
}

function defaultPath(requestPath: string): string {
  const lastSlash = requestPath.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : requestPath.slice(0, lastSlash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  return requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/');
}
