import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../errors';
import { renderError } from './error-pages';

// Limits per client address, counted in memory by each instance (so N instances allow N times as many).
// A whole lecture theatre can share one campus NAT address: launch limits leave room for hundreds at once.

export interface RateLimitRule {
  windowMs: number;
  limit: number;
}

const MINUTE = 60_000;

export const RATE_LIMITS = {
  /** LTI login initiation and launch together: a 300-seat lecture opening Waymark at once makes 600 requests. */
  launch: { windowMs: 5 * MINUTE, limit: 1200 },
  /** Failed admin sign-ins only: guessing ADMIN_SECRET stays hopeless. */
  adminLogin: { windowMs: 15 * MINUTE, limit: 10 },
  /** Registering or removing platforms, by form or by dynamic registration. */
  registration: { windowMs: 15 * MINUTE, limit: 30 },
  /** File uploads (any multipart POST under /app). */
  upload: { windowMs: 15 * MINUTE, limit: 60 },
} satisfies Record<string, RateLimitRule>;

function limiter(rule: RateLimitRule, what: string, options: { skip?: (req: Request) => boolean; onlyFailures?: boolean } = {}): RequestHandler {
  const minutes = Math.ceil(rule.windowMs / MINUTE);
  return rateLimit({
    windowMs: rule.windowMs,
    limit: rule.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: options.onlyFailures ?? false,
    skip: options.skip,
    handler: (_req, res) => {
      res.set('Retry-After', String(minutes * 60));
      renderError(
        res,
        new AppError(429, 'too-many-requests', 'Too many requests', `Waymark has had too many ${what} from your network in a short time. Wait ${minutes} minutes, then try again.`),
      );
    },
  });
}

const onlyPosts = (req: Request) => req.method !== 'POST';

export function launchRateLimit(): RequestHandler {
  return limiter(RATE_LIMITS.launch, 'launches');
}

export function adminLoginRateLimit(): RequestHandler {
  return limiter(RATE_LIMITS.adminLogin, 'failed sign-ins', { skip: onlyPosts, onlyFailures: true });
}

export function registrationRateLimit(): RequestHandler {
  return limiter(RATE_LIMITS.registration, 'registration requests', { skip: (req) => req.method !== 'POST' && !req.query.openid_configuration });
}

export function uploadRateLimit(): RequestHandler {
  return limiter(RATE_LIMITS.upload, 'uploads', { skip: (req) => req.method !== 'POST' || !req.is('multipart/form-data') });
}
