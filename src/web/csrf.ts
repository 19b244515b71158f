import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../errors';
import { currentLaunch } from './launch-session';

// CSRF protection for state-changing requests from launch pages: the token is bound to the LTI session.

export function csrfTokenFor(sessionId: string, key: string): string {
  return crypto.createHmac('sha256', key).update(`csrf|${sessionId}`).digest('base64url');
}

/** Puts the session's token in res.locals.csrf for templates (hidden field `_csrf`). */
export function exposeCsrfToken(key: string): RequestHandler {
  return (_req, res, next) => {
    const launch = res.locals.launch as { session?: { sessionId: string } } | undefined;
    if (launch?.session) res.locals.csrf = csrfTokenFor(launch.session.sessionId, key);
    next();
  };
}

/** Refuses POST/PUT/PATCH/DELETE without the session's token in `_csrf` (body or query) or the X-CSRF-Token header. */
export function requireCsrf(key: string): RequestHandler {
  return (req, res, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
    const launch = currentLaunch(res);
    const given = Buffer.from(String(req.body?._csrf ?? req.query._csrf ?? req.get('x-csrf-token') ?? ''));
    const expected = Buffer.from(csrfTokenFor(launch.session.sessionId, key));
    // Compared as bytes: a token as long as ours in characters but not in bytes would make timingSafeEqual throw.
    const ok = given.length === expected.length && crypto.timingSafeEqual(given, expected);
    if (!ok) return next(new AppError(403, 'forbidden', 'This form has expired', 'Reload the page and try again. If it keeps happening, open Waymark again from Moodle.'));
    next();
  };
}
