import { Router } from 'express';
import { errors } from '../../errors';
import { buildModuleRosterView } from '../../reports/module-roster-report';
import { buildLearnerLaunchesView } from '../../reports/learner-launches-report';
import { findMemberById } from '../../store/member-repository';
import { currentLaunch, requireRole, type CurrentLaunch } from '../launch-session';

/** Staff see every member; a mentor (without staff rights here) only those in their mentor scope. */
export function menteeScope(launch: CurrentLaunch): string[] | null {
  if (launch.roles.all.has('staff')) return null;
  return launch.session.mentorScope;
}

export function moduleRouter(): Router {
  const router = Router();

  router.get('/app/module', requireRole('staff', 'mentor'), async (_req, res, next) => {
    try {
      const launch = currentLaunch(res);
      const view = await buildModuleRosterView(launch.module, { menteeUserIds: menteeScope(launch) });
      res.render('module', { title: view.moduleTitle, view, ltik: launch.ltik });
    } catch (err) {
      next(err);
    }
  });

  router.get('/app/learners/:memberId', requireRole('staff', 'mentor'), async (req, res, next) => {
    try {
      const launch = currentLaunch(res);
      const member = await findMemberById(launch.module.id, String(req.params.memberId));
      const scope = menteeScope(launch);
      if (!member || (scope && !scope.includes(member.userId))) throw errors.notFound('learner');
      const view = await buildLearnerLaunchesView(member);
      res.render('learner', { title: view.name, view, ltik: launch.ltik });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
