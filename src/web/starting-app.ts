import path from 'node:path';
import express, { type Express } from 'express';
import { AppError } from '../errors';
import { installViewEngine } from './view-engine';
import { securityHeaders } from './security-headers';
import { healthRouter } from './health-router';
import { renderError } from './error-pages';

const PUBLIC_DIR = path.resolve(__dirname, '../../public');

/**
 * What the process serves until its database first answers: liveness, a failing readiness probe and a clear
 * 503 page, so a database that is down at start never crashes or hides the process.
 */
export function startingApp(opts: { https: boolean }): Express {
  const app = express();
  app.disable('x-powered-by');
  installViewEngine(app, { cacheTemplates: true });
  app.use(securityHeaders({ https: opts.https, frameAncestors: () => [] }));
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));
  app.use(healthRouter({ accepting: () => false }));
  app.use((_req, res) => {
    res.set('Retry-After', '15');
    renderError(
      res,
      new AppError(503, 'database-unavailable', 'Waymark is starting', 'It is waiting for its database to answer. Try again in a minute; if this lasts, tell your learning technologist.'),
    );
  });
  return app;
}
