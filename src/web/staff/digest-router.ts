import { Router } from 'express';
import { z } from 'zod';
import { errors } from '../../errors';
import { recordAudit } from '../../governance/audit-log';
import { memberForStaffPage } from '../../store/cached-module-reads';
import { subscribeToDigest, unsubscribeFromDigest } from '../../store/digest-subscription-repository';
import { requireRole } from '../launch-session';
import { parseOrRefuse } from './request-parsing';
import { redirectWithNotice, staffViewerOf } from './staff-launch';

const digestChoice = z.object({ subscribe: z.enum(['yes', 'no'], { message: 'choose yes or no' }) });

/** A staff member's opt-in to the weekly digest of new alerts in this module. */
export function digestRouter(): Router {
  const router = Router();
  router.post('/app/module/digest', requireRole('staff'), async (req, res, next) => {
    try {
      const { subscribe } = parseOrRefuse(digestChoice, req.body);
      const { launch, viewer } = await staffViewerOf(res);
      if (subscribe === 'yes') {
        const self = await memberForStaffPage(launch.module.id, launch.session.memberId);
        if (!self?.email) throw errors.badRequest('Moodle did not share your email address with Waymark, so there is nowhere to send the digest.');
        await subscribeToDigest({ moduleId: launch.module.id, userId: viewer.userId, email: self.email, name: viewer.name });
      } else {
        await unsubscribeFromDigest(launch.module.id, viewer.userId);
      }
      await recordAudit(launch, 'digest.update', null, { subscribed: subscribe === 'yes' });
      redirectWithNotice(res, launch, '/app/module', subscribe === 'yes' ? 'digest-on' : 'digest-off');
    } catch (err) {
      next(err);
    }
  });
  return router;
}
