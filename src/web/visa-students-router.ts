import { Router } from 'express';
import { recordAuditInModule } from '../governance/audit-log';
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
      // Each module's learners are looked at here, outside the module's own pages: its audit log says so.
      for (const shown of overview.learnersPerModule) {
        await recordAuditInModule(launch, 'visa-students.view', { moduleId: shown.moduleId, learnerMemberId: null, actingAs: 'visa-compliance' }, { learnersShown: shown.learners }, at);
      }
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
