import type { Request, Response, NextFunction, ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors';
import { withoutLaunchToken } from '../logger';

export function renderError(res: Response, error: AppError): void {
  if (res.headersSent) return;
  res.status(error.status);
  res.format({
    html: () => res.render('error', { title: error.title, error: { id: error.id, title: error.title, detail: error.detail, status: error.status } }),
    json: () => res.json({ error: error.id, title: error.title, detail: error.detail }),
    default: () => res.type('text/plain').send(`${error.title}\n${error.detail}`),
  });
}

export function notFoundHandler(_req: Request, res: Response): void {
  renderError(res, new AppError(404, 'not-found', 'Page not found', 'There is no page at this address. Open Waymark from your Moodle course.'));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof AppError) return renderError(res, err);
    const e = err as { type?: string; status?: number; name?: string; message?: string };
    if (e.type === 'entity.too.large') {
      return renderError(res, new AppError(413, 'bad-request', 'That upload is too large', 'Split the file or contact your learning technologist.'));
    }
    if (e.status === 400 && e.type) {
      return renderError(res, new AppError(400, 'bad-request', 'The request could not be read', 'Reload the page and try again.'));
    }
    if (e.name === 'MongoServerSelectionError' || e.name === 'MongoNotConnectedError' || e.name === 'MongoNetworkError' || /buffering timed out/.test(e.message ?? '')) {
      return renderError(res, new AppError(503, 'database-unavailable', 'Waymark is briefly unavailable', 'Its database cannot be reached just now. Try again in a minute.'));
    }
    logger.error({ err, path: withoutLaunchToken(req.originalUrl) }, 'unhandled error');
    renderError(res, new AppError(500, 'internal', 'Something went wrong', 'Waymark hit an unexpected problem. Try again; if it persists, tell your learning technologist.', true));
  };
}
