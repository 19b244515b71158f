import { Router } from 'express';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config';
import { AppError } from '../../errors';
import type { LtiGateway } from '../../lti/lti-gateway';
import { LTI_ROUTES } from '../../lti/lti-gateway';
import { performDynamicRegistration, RegistrationError } from '../../lti/dynamic-registration';
import { registerPlatform } from '../../lti/platform-registration';

/** Moodle opens this URL (with openid_configuration and registration_token) when an admin pastes the tool URL. */
export function dynamicRegistrationRouter(config: AppConfig, gateway: LtiGateway, registrationKey: string | null, logger: Logger): Router {
  const router = Router();
  router.get(LTI_ROUTES.register, async (req, res, next) => {
    try {
      if (registrationKey && req.query.key !== registrationKey) {
        throw new AppError(403, 'forbidden', 'This registration link is not valid', 'Copy the dynamic registration URL from Waymark’s registration page (it carries a key) and paste it into Moodle again.');
      }
      const openid = typeof req.query.openid_configuration === 'string' ? req.query.openid_configuration : '';
      const token = typeof req.query.registration_token === 'string' ? req.query.registration_token : undefined;
      if (!openid) {
        throw new AppError(400, 'bad-request', 'Open this address from Moodle', 'Paste this URL into Moodle (Site administration › Plugins › External tool › Manage tools › Tool URL) and choose “Add LTI Advantage”.');
      }
      const values = await performDynamicRegistration(config, openid, token);
      const profile = await registerPlatform(gateway, values, 'dynamic');
      logger.info({ issuer: profile.issuer }, 'platform registered dynamically');
      res.render('registration-done', { title: 'Waymark is registered', layout: 'minimal', issuer: profile.issuer });
    } catch (err) {
      if (err instanceof RegistrationError) {
        return next(new AppError(502, 'bad-request', 'Registration with the platform failed', err.message));
      }
      next(err);
    }
  });
  return router;
}
