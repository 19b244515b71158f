import { Router } from 'express';
import { z } from 'zod';
import { currentLaunch, requireRole } from '../launch-session';
import { studentDataExportRouter } from './data-export-router';
import { studentDataReportRouter } from './data-report-router';
import { ownMember } from './own-member';
import { renderStudentPanel } from './panel-page';

const panelQuery = z.object({ reported: z.literal('1').optional() });

/** Everything a student opens: their panel, "download my data" and "report incorrect data". */
export function studentPanelRouter(opts: { now?: () => Date } = {}): Router {
  const now = opts.now ?? (() => new Date());
  const router = Router();
  router.use(studentDataExportRouter(opts));
  router.use(studentDataReportRouter(opts));
  // No id in the URL: a student's panel is always their own, taken from the signed launch (other query keys are ignored).
  router.get('/app/me', requireRole('student'), async (req, res, next) => {
    try {
      const query = panelQuery.safeParse(req.query);
      const launch = currentLaunch(res);
      await renderStudentPanel(res, launch, await ownMember(launch), now(), { reported: query.success && query.data.reported === '1' });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
