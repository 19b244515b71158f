import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** One string parameter from a parsed query or form body; repeated or nested values count as absent. */
export function stringParam(source: unknown, key: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value: unknown = (source as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/** A non-negative integer query parameter such as `limit` or `from`; anything else falls back. */
export function intParam(source: unknown, key: string, fallback: number): number {
  const value = stringParam(source, key);
  if (value === undefined || !/^\d+$/.test(value)) return fallback;
  return Number(value);
}

/** Express 4 does not catch rejected promises; hand them to the error middleware. */
export function asyncRoute(handler: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };
}

export function refuse(res: Response, status: number, message: string): void {
  res.status(status).type('text/plain').send(message);
}
