import type { RequestHandler } from 'express';
import { errors } from '../errors';
import { isVisaComplianceStaff } from '../store/platform-repository';
import { currentLaunch } from './launch-session';

/**
 * Lets the request through when an administrator named the launching person as their platform's visa-compliance
 * staff. Their LTI role in the launch course does not matter: the team is named person by person, not by Moodle.
 */
export function requireVisaComplianceStaff(): RequestHandler {
  return async (_req, res, next) => {
    try {
      const { session } = currentLaunch(res);
      if (await isVisaComplianceStaff(session.platformId, session.userId)) return next();
      next(errors.forbidden());
    } catch (err) {
      next(err);
    }
  };
}
