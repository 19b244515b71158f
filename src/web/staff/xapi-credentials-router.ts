import { Router, type Response } from 'express';
import { z } from 'zod';
import { errors } from '../../errors';
import { recordAudit } from '../../governance/audit-log';
import { issueXapiCredential, revokeManagedXapiCredential, type IssuedXapiCredential } from '../../ingest/xapi-credential-issuer';
import { buildXapiCredentialsView } from '../../reports/xapi-credentials-report';
import { currentLaunch, requireRole, type CurrentLaunch } from '../launch-session';

// Staff create and revoke the Basic credentials Moodle's Logstore xAPI plugin uses to send statements here.

const createSchema = z.object({
  label: z.string().trim().max(100, 'the name is at most 100 characters').default(''),
  scope: z.enum(['module', 'platform']).default('module'),
});

const NOTICES: Record<string, string> = {
  revoked: 'Key revoked. Statements sent with it are refused from now on.',
};

/** A key for every course of the site reaches beyond this module: only a site administrator who also teaches here may manage one. */
const mayManagePlatformKeys = (launch: CurrentLaunch) => launch.roles.all.has('admin');

export function xapiCredentialsRouter(deps: { now: () => Date; publicUrl: string }): Router {
  const router = Router();

  const render = async (res: Response, launch: CurrentLaunch, extra: { status?: number; issued?: IssuedXapiCredential; problems?: string[]; notice?: string | null } = {}) => {
    const view = await buildXapiCredentialsView(launch.module, deps.publicUrl, mayManagePlatformKeys(launch));
    // The page may show a secret once: no copy of it may be kept by a cache.
    res.set('Cache-Control', 'no-store');
    res.status(extra.status ?? 200).render('xapi-credentials', {
      title: 'xAPI',
      moduleTitle: launch.module.title || launch.module.label,
      nav: 'xapi',
      showSettings: true,
      view,
      issued: extra.issued ? { keyId: extra.issued.credential.keyId, secret: extra.issued.secret, scope: extra.issued.credential.scope } : null,
      problems: extra.problems ?? [],
      notice: extra.notice ?? null,
      ltik: launch.ltik,
      csrf: res.locals.csrf,
    });
  };

  router.get('/app/module/xapi', requireRole('staff'), async (req, res, next) => {
    try {
      await render(res, currentLaunch(res), { notice: typeof req.query.done === 'string' ? (NOTICES[req.query.done] ?? null) : null });
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/module/xapi', requireRole('staff'), async (req, res, next) => {
    try {
      const launch = currentLaunch(res);
      const parsed = createSchema.safeParse(req.body ?? {});
      if (!parsed.success) return await render(res, launch, { status: 400, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      if (parsed.data.scope === 'platform' && !mayManagePlatformKeys(launch)) {
        return await render(res, launch, { status: 403, problems: ['Only a Moodle site administrator can create a key for every course of the site. Create a key for this module instead.'] });
      }
      const issued = await issueXapiCredential({
        scope: parsed.data.scope,
        platformId: launch.session.platformId,
        moduleId: launch.module.id,
        label: parsed.data.label,
        by: { userId: launch.session.userId, name: launch.session.displayName },
        at: deps.now(),
      });
      await recordAudit(launch, 'xapi-credential.create', null, { keyId: issued.credential.keyId, scope: issued.credential.scope }, deps.now());
      await render(res, launch, { status: 201, issued });
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/module/xapi/:keyId/revoke', requireRole('staff'), async (req, res, next) => {
    try {
      const launch = currentLaunch(res);
      const keyId = String(req.params.keyId);
      const scope = { platformId: launch.session.platformId, moduleId: launch.module.id, mayManagePlatformKeys: mayManagePlatformKeys(launch) };
      if (!(await revokeManagedXapiCredential(keyId, scope, launch.session.userId, deps.now()))) throw errors.notFound('key');
      await recordAudit(launch, 'xapi-credential.revoke', null, { keyId }, deps.now());
      res.redirect(303, `/app/module/xapi?ltik=${encodeURIComponent(launch.ltik)}&done=revoked`);
    } catch (err) {
      next(err);
    }
  });

  return router;
}
