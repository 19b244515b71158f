import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * helmet with a strict CSP. Moodle frames Waymark, so framing is allowed for registered platforms' origins only
 * (CSP frame-ancestors; X-Frame-Options is off because it cannot list origins).
 */
export function securityHeaders(opts: { https: boolean; frameAncestors: () => string[] }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'", (_req, _res) => opts.frameAncestors().join(' ') || "'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: false,
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: opts.https ? { maxAge: 31536000, includeSubDomains: false } : false,
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}
