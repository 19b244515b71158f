import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError } from '../errors';
import { isDatabaseConnected, isDatabaseUnavailableError } from '../store/database';

// Long enough for a database restart or failover, short enough that people are not kept waiting.
const RETRY_AFTER_SECONDS = 30;

export function databaseUnavailable(): AppError {
  return new AppError(
    503,
    'database-unavailable',
    'Waymark is briefly unavailable',
    'Its database cannot be reached just now. Nothing already saved is lost; try again in a minute.',
  );
}

function askToRetryLater(res: Response): void {
  if (!res.headersSent) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
}

/** Answers 503 at once while the database is unreachable, instead of letting each page wait for a driver timeout. */
export function requireDatabase(): RequestHandler {
  return (_req, res, next) => {
    if (isDatabaseConnected()) return next();
    askToRetryLater(res);
    next(databaseUnavailable());
  };
}

/** A driver error met part-way through a request (the database went away) becomes the same 503 page. */
export const databaseErrorsAsUnavailable: ErrorRequestHandler = (err, _req, res, next) => {
  if (!isDatabaseUnavailableError(err)) return next(err);
  askToRetryLater(res);
  next(databaseUnavailable());
};
