import { Router } from 'express';
import { recordViewOfLearners } from '../governance/audit-log';
import { buildVisaStudentsOverview } from '../reports/visa-students-report';
import { currentLaunch } from './launch-session';
import { requireVisaComplianceStaff } from './visa-compliance-access';

/** Named visa-compliance staff: the sponsored-visa learners of every module of their own platform. */
export function visaStudentsRouter(opts: { now?: () => Date } = {}): Router {
  const now = opts.now ?? (() => new Date());
  const router = Router();

  router.get('/app/visa', requireVisaComplianceStaff(), async (_req, res, next) => {
    try {
      const launch = currentLaunch(res);
      const overview = await buildVisaStudentsOverview(launch.session.platformId);
      const at = now();
      // Each learner listed is a view of their individual data, outside their module's own pages: each one's audit
      // log (and their subject access export) says so.
      await recordViewOfLearners(launch, 'visa-students.view', overview.rows, 'visa-compliance', at);
      const roles = launch.roles.all;
      res.render('visa-students', {
        title: 'Sponsored-visa students',
        moduleTitle: launch.module.title,
        // The module pages' links, for an officer who also teaches the launch course.
        nav: roles.has('staff') || roles.has('mentor') ? 'visa' : undefined,
        showSettings: roles.has('staff'),
        showVisaOverview: true,
        rows: overview.rows,
        ltik: launch.ltik,
      });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
