import { Router } from 'express';
import { errors } from '../../errors';
import { buildLearnerLaunchesView } from '../../reports/learner-launches-report';
import { findMemberById } from '../../store/member-repository';
import { currentLaunch, requireRole } from '../launch-session';

export function studentPanelRouter(): Router {
  const router = Router();
  // No id in the URL: a student's panel is always their own, taken from the signed launch.
  router.get('/app/me', requireRole('student'), async (_req, res, next) => {
    try {
      const launch = currentLaunch(res);
      const member = await findMemberById(launch.module.id, launch.session.memberId);
      if (!member) throw errors.notFound('panel');
      const view = await buildLearnerLaunchesView(member);
      res.render('student-panel', { title: 'Your engagement', view, moduleTitle: launch.module.title, ltik: launch.ltik });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
