import type { RequestHandler, CookieOptions } from 'express';

/**
 * Launch cookies must survive Moodle's cross-site iframe. Browsers that block third-party cookies drop even
 * SameSite=None; Secure ones there, but keep Partitioned (CHIPS) cookies. ltijs has no option for it, so we
 * add the attribute to every cookie it sets when the site is a secure context.
 */
export function partitionedCookies(secureContext: boolean): RequestHandler {
  return (_req, res, next) => {
    if (!secureContext) return next();
    const setCookie = res.cookie.bind(res);
    const clearCookie = res.clearCookie.bind(res);
    const withPartition = (options: CookieOptions | undefined): CookieOptions => ({
      ...(options ?? {}),
      secure: true,
      sameSite: 'none',
      partitioned: true,
    });
    res.cookie = ((name: string, value: unknown, options?: CookieOptions) =>
      setCookie(name, value as string, withPartition(options))) as typeof res.cookie;
    res.clearCookie = ((name: string, options?: CookieOptions) => clearCookie(name, withPartition(options))) as typeof res.clearCookie;
    next();
  };
}
