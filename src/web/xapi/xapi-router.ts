import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import { findXapiSecret, recordXapiCredentialUse, type XapiCredential } from '../../store/xapi-credential-repository';
import { secretMatches } from '../../ingest/xapi-credential-keys';
import { storeXapiStatements } from '../../ingest/xapi-statement-import';
import { readBasicCredentials } from './basic-credentials';
import { recomputeSoon } from '../../reports/recompute-soon';

// POST /xapi/statements for Moodle's Logstore xAPI plugin. Mounted on the outer app, before ltijs: the plugin
// has no launch, only Basic credentials. Answers as an LRS; statement bodies are never logged.

export const XAPI_STATEMENTS_PATH = '/xapi/statements';
const XAPI_VERSION = '1.0.3';
/** The plugin sends up to 100 statements a request; each is a few KB at most. */
const BODY_LIMIT = '2mb';
const RATE_WINDOW_MS = 60_000;
/** The plugin posts a batch or two a minute per site; this leaves room for catching up after an outage. */
const RATE_LIMIT_PER_MINUTE = 240;
const LAST_USED_EVERY_MS = 60_000;

function answer(res: Response, status: number, body: unknown): void {
  res.status(status).set('X-Experience-API-Version', XAPI_VERSION).json(body);
}

function unauthorised(res: Response, message: string): void {
  res.set('WWW-Authenticate', 'Basic realm="Waymark xAPI", charset="UTF-8"');
  answer(res, 401, { error: 'unauthorised', message });
}

export function xapiRouter(opts: { logger: Pick<Logger, 'error' | 'warn'>; now?: () => Date }): Router {
  const now = opts.now ?? (() => new Date());
  const router = Router();
  const lastUseRecorded = new Map<string, number>();

  router.use(
    XAPI_STATEMENTS_PATH,
    rateLimit({
      windowMs: RATE_WINDOW_MS,
      limit: RATE_LIMIT_PER_MINUTE,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      handler: (_req, res) => {
        res.set('Retry-After', String(RATE_WINDOW_MS / 1000));
        answer(res, 429, { error: 'too-many-requests', message: 'Too many requests in a minute; the plugin will send the statements again later.' });
      },
    }),
  );

  // Credentials are checked before the body is read: an unknown caller costs no JSON parsing.
  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const given = readBasicCredentials(req.get('authorization'));
      if (!given) return unauthorised(res, 'Send the key id and secret from Waymark’s xAPI page as Basic credentials.');
      const stored = await findXapiSecret(given.keyId);
      if (!stored || stored.credential.revokedAt || !(await secretMatches(given.keyId, given.secret, stored))) {
        return unauthorised(res, 'These xAPI credentials are not valid (unknown, revoked, or a wrong secret).');
      }
      res.locals.xapiCredential = stored.credential;
      const at = now().getTime();
      if ((lastUseRecorded.get(given.keyId) ?? 0) + LAST_USED_EVERY_MS < at) {
        lastUseRecorded.set(given.keyId, at);
        await recordXapiCredentialUse(given.keyId, new Date(at));
      }
      next();
    } catch (err) {
      next(err);
    }
  };

  router.post(
    XAPI_STATEMENTS_PATH,
    authenticate,
    express.json({ limit: BODY_LIMIT, strict: false, type: ['application/json', 'application/*+json', 'text/plain'] }),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        if (req.body === undefined || !req.is(['application/json', 'application/*+json', 'text/plain'])) {
          return answer(res, 400, { error: 'bad-request', message: 'Send the statements as JSON (Content-Type: application/json).' });
        }
        const result = await storeXapiStatements(res.locals.xapiCredential as XapiCredential, req.body);
        if (result.status === 400) {
          return answer(res, 400, { error: 'invalid-statements', message: 'No statement of this request was stored: fix these and send them again.', problems: result.problems });
        }
        for (const moduleId of result.changedModuleIds) recomputeSoon(moduleId, { now, onError: (err) => opts.logger.warn({ err, module: moduleId }, 'analysis after xAPI statements failed') });
        answer(res, 200, result.statementIds);
      } catch (err) {
        next(err);
      }
    },
  );

  router.all(XAPI_STATEMENTS_PATH, (_req, res) => {
    res.set('Allow', 'POST');
    answer(res, 405, { error: 'method-not-allowed', message: 'Waymark only receives statements (POST); it does not return them.' });
  });

  // Errors of this endpoint answer in JSON and are logged without the request body.
  router.use(XAPI_STATEMENTS_PATH, (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') return answer(res, 400, { error: 'invalid-json', message: 'The request body is not valid JSON.' });
    if (e.type === 'entity.too.large') return answer(res, 413, { error: 'too-large', message: `Send at most ${BODY_LIMIT} of statements per request.` });
    if (e.status && e.status >= 400 && e.status < 500) return answer(res, e.status, { error: 'bad-request', message: 'The request could not be read.' });
    opts.logger.error({ errName: (err as Error).name, errMessage: e.message }, 'xAPI statements could not be stored');
    answer(res, 500, { error: 'internal', message: 'Waymark could not store the statements just now; send them again later.' });
  });

  return router;
}
