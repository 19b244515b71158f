import express, { Router } from 'express';
import { z } from 'zod';
import type { AppConfig } from '../../config';
import type { LtiGateway } from '../../lti/lti-gateway';
import { LTI_ROUTES } from '../../lti/lti-gateway';
import { registerPlatform, removePlatform, listPlatformProfiles, platformValuesSchema } from '../../lti/platform-registration';
import type { AdminAuth } from './admin-auth';
import { errors } from '../../errors';

/** Tool URLs a learning technologist pastes into Moodle's "Configure a tool manually" form. */
export function toolUrls(config: AppConfig, registrationKey: string | null) {
  const base = config.publicUrl;
  const dyn = new URL(base + LTI_ROUTES.register);
  if (registrationKey) dyn.searchParams.set('key', registrationKey);
  return {
    toolUrl: base + LTI_ROUTES.launch,
    loginUrl: base + LTI_ROUTES.login,
    redirectUrl: base + LTI_ROUTES.launch,
    keysetUrl: base + LTI_ROUTES.keys,
    dynamicRegistrationUrl: dyn.toString(),
    domain: new URL(base).host,
  };
}

const formSchema = z.object({
  issuer: z.string(),
  clientId: z.string(),
  authUrl: z.string(),
  tokenUrl: z.string(),
  keysetUrl: z.string(),
  deploymentIds: z.string(),
  name: z.string().optional(),
});

const removeSchema = z.object({ issuer: z.string().min(1).max(2000), clientId: z.string().min(1).max(500) });

export function registrationRouter(config: AppConfig, gateway: LtiGateway, auth: AdminAuth): Router {
  const router = Router();
  router.use('/admin', express.urlencoded({ extended: false, limit: '20kb' }));

  router.get('/admin/login', (_req, res) => res.render('admin-login', { title: 'Waymark administration', enabled: Boolean(config.adminSecret) }));
  router.post('/admin/login', (req, res) => {
    if (auth.login(req, res)) return res.redirect(303, '/admin/registration');
    res.status(401).render('admin-login', { title: 'Waymark administration', enabled: Boolean(config.adminSecret), failed: true });
  });
  router.post('/admin/logout', auth.requireAdmin, auth.checkCsrf, (_req, res) => {
    auth.logout(res);
    res.redirect(303, '/admin/login');
  });

  const renderPage = async (req: express.Request, res: express.Response, extra: Record<string, unknown> = {}) => {
    res.render('admin-registration', {
      title: 'Register Waymark with Moodle',
      urls: toolUrls(config, auth.registrationKey),
      platforms: await listPlatformProfiles(),
      csrf: auth.csrfToken(req),
      ...extra,
    });
  };

  router.get('/admin/registration', auth.requireAdmin, async (req, res, next) => {
    try {
      await renderPage(req, res);
    } catch (err) {
      next(err);
    }
  });

  router.post('/admin/registration', auth.requireAdmin, auth.checkCsrf, async (req, res, next) => {
    try {
      const form = formSchema.safeParse(req.body);
      const values = form.success
        ? platformValuesSchema.safeParse({
            ...form.data,
            name: form.data.name || 'Moodle',
            deploymentIds: form.data.deploymentIds.split(/[\s,]+/).filter(Boolean),
          })
        : null;
      if (!values || !values.success) {
        const problems = values && !values.success ? values.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) : ['Fill in every field.'];
        res.status(400);
        return renderPage(req, res, { problems, form: req.body });
      }
      const profile = await registerPlatform(gateway, values.data, 'manual');
      await renderPage(req, res, { registered: profile });
    } catch (err) {
      next(err);
    }
  });

  router.post('/admin/registration/remove', auth.requireAdmin, auth.checkCsrf, async (req, res, next) => {
    try {
      const chosen = removeSchema.safeParse(req.body);
      if (!chosen.success) throw errors.badRequest('Choose the platform to remove from the list on the registration page.');
      const { issuer, clientId } = chosen.data;
      await removePlatform(gateway, issuer, clientId);
      res.redirect(303, '/admin/registration');
    } catch (err) {
      next(err);
    }
  });
  return router;
}
