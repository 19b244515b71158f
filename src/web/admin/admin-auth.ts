import crypto from 'node:crypto';
import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { AppError } from '../../errors';

// The registration pages are for learning technologists with no shell on our server: one admin secret from the config.

const COOKIE = 'waymark_admin';
const SESSION_HOURS = 8;

function sign(value: string, key: string): string {
  return crypto.createHmac('sha256', key).update(value).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

export interface AdminAuth {
  login(req: Request, res: Response): boolean;
  logout(res: Response): void;
  requireAdmin: RequestHandler;
  csrfToken(req: Request): string;
  checkCsrf: RequestHandler;
  /** A key for the dynamic registration URL, so only those given the URL can register a platform. */
  registrationKey: string | null;
}

export function adminAuth(opts: { secret: string | undefined; signingKey: string; secureCookies: boolean; now?: () => number }): AdminAuth {
  const now = opts.now ?? (() => Date.now());
  const key = opts.signingKey + '|admin';
  const readSession = (req: Request): string | null => {
    const raw = req.cookies?.[COOKIE] as string | undefined;
    if (!raw) return null;
    const [expires, mac] = raw.split('.');
    if (!expires || !mac || !safeEqual(mac, sign(expires, key))) return null;
    return Number(expires) > now() ? raw : null;
  };
  return {
    registrationKey: opts.secret ? sign('dynamic-registration', opts.secret).slice(0, 24) : null,
    login(req, res) {
      const given = typeof req.body?.secret === 'string' ? req.body.secret : '';
      if (!opts.secret || !safeEqual(given, opts.secret)) return false;
      const expires = String(now() + SESSION_HOURS * 3600_000);
      res.cookie(COOKIE, `${expires}.${sign(expires, key)}`, {
        httpOnly: true,
        sameSite: 'strict',
        secure: opts.secureCookies,
        maxAge: SESSION_HOURS * 3600_000,
        path: '/admin',
      });
      return true;
    },
    logout(res) {
      res.clearCookie(COOKIE, { path: '/admin' });
    },
    requireAdmin(req, res, next) {
      if (!opts.secret) {
        return next(new AppError(403, 'forbidden', 'Registration pages are switched off', 'Set ADMIN_SECRET in Waymark’s configuration to use the registration pages.'));
      }
      if (!readSession(req)) return res.redirect(303, '/admin/login');
      next();
    },
    csrfToken(req) {
      return sign('csrf|' + (readSession(req) ?? ''), key);
    },
    checkCsrf(req: Request, _res: Response, next: NextFunction) {
      const session = readSession(req);
      const token = typeof req.body?._csrf === 'string' ? req.body._csrf : '';
      if (!session || !safeEqual(token, sign('csrf|' + session, key))) {
        return next(new AppError(403, 'forbidden', 'This form has expired', 'Reload the page and submit the form again.'));
      }
      next();
    },
  };
}
