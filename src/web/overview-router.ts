import { Router } from 'express';
import { currentLaunch, requireRole } from './launch-session';
import { moduleMembersForPage } from '../store/cached-module-reads';
import { isLearnerMember } from '../store/member-classification';
import { isVisaComplianceStaff } from '../store/platform-repository';

/** Designers and administrators: the module at a glance, with no individual's data. */
export function overviewRouter(): Router {
  const router = Router();
  router.get('/app/overview', requireRole('designer', 'admin', 'staff'), async (_req, res, next) => {
    try {
      const launch = currentLaunch(res);
      const { list: members } = await moduleMembersForPage(launch.module.id);
      const learners = members.filter(isLearnerMember).length;
      res.render('overview', {
        title: launch.module.title,
        moduleTitle: launch.module.title,
        learners,
        isAdmin: launch.roles.all.has('admin'),
        isDesigner: launch.roles.all.has('designer'),
        isVisaStaff: await isVisaComplianceStaff(launch.session.platformId, launch.session.userId),
        ltik: launch.ltik,
      });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
