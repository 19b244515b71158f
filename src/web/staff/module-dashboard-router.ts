import { Router } from 'express';
import { recordAudit } from '../../governance/audit-log';
import { buildLearnerTableExport, buildModuleDashboard, digestState } from '../../reports/module-dashboard-report';
import { learnerTableCsv } from '../../reports/learner-table-csv';
import { memberForStaffPage } from '../../store/cached-module-reads';
import { requireRole } from '../launch-session';
import { parseLearnerTableQuery } from './learner-table-query';
import { noticeFor } from './notices';
import { staffViewerOf } from './staff-launch';

function csvFilename(label: string): string {
  const safe = label.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'module';
  return `waymark-learners-${safe}.csv`;
}

/** The module dashboard and its CSV export: staff see every learner, a mentor their mentees. */
export function moduleDashboardRouter(deps: { now: () => Date }): Router {
  const router = Router();

  router.get('/app/module', requireRole('staff', 'mentor'), async (req, res, next) => {
    try {
      const query = parseLearnerTableQuery(req.query);
      const { launch, viewer } = await staffViewerOf(res);
      const view = await buildModuleDashboard(launch.module, viewer, query, deps.now());
      const self = await memberForStaffPage(launch.module.id, launch.session.memberId);
      view.digest = await digestState(launch.module.id, viewer, self?.email || null);
      await recordAudit(launch, 'module.view', null, { learnersShown: view.table.rows.length, page: view.table.page });
      res.render('module', {
        title: view.moduleTitle,
        moduleTitle: view.moduleTitle,
        nav: 'dashboard',
        showSettings: viewer.isStaff,
        scripts: view.chart ? ['/static/vendor/chartjs/chart.umd.min.js', '/static/js/engagement-chart.js'] : [],
        notice: noticeFor(req.query.done),
        view,
        ltik: launch.ltik,
      });
    } catch (err) {
      next(err);
    }
  });

  router.get('/app/module/learners.csv', requireRole('staff', 'mentor'), async (req, res, next) => {
    try {
      const query = parseLearnerTableQuery(req.query);
      const { launch, viewer } = await staffViewerOf(res);
      const table = await buildLearnerTableExport(launch.module, viewer, query);
      await recordAudit(launch, 'learners.export', null, { rows: table.rows.length, alert: query.alert, source: query.source, since: query.since, q: query.q || null });
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="${csvFilename(launch.module.label || launch.module.title)}"`)
        .set('Cache-Control', 'no-store')
        .send(learnerTableCsv(table.rows, table.sources, table.levelHeading));
    } catch (err) {
      next(err);
    }
  });

  return router;
}
