import { Router } from 'express';
import { z } from 'zod';
import { recordAuditInModule } from '../../governance/audit-log';
import { REPORTABLE_SOURCES } from '../../reports/student-panel-report';
import { createDataReport } from '../../store/data-report-repository';
import { currentLaunch, requireRole } from '../launch-session';
import { ownMember } from './own-member';
import { renderStudentPanel } from './panel-page';

export const DATA_REPORT_MAX_CHARACTERS = 2000;

const reportBody = z.object({
  source: z.enum(REPORTABLE_SOURCES, { message: 'Choose which data looks wrong.' }),
  text: z
    .string({ message: 'Say what looks wrong.' })
    .trim()
    .min(1, 'Say what looks wrong, for example which day or which session.')
    .max(DATA_REPORT_MAX_CHARACTERS, `Keep it to ${DATA_REPORT_MAX_CHARACTERS} characters or fewer; the staff can ask you for more.`),
});

/** "Report incorrect data": stored for the module staff (they see it on the learner page) and audited. */
export function studentDataReportRouter(opts: { now?: () => Date } = {}): Router {
  const now = opts.now ?? (() => new Date());
  const router = Router();
  router.post('/app/me/data-reports', requireRole('student'), async (req, res, next) => {
    try {
      const launch = currentLaunch(res);
      const member = await ownMember(launch);
      const parsed = reportBody.safeParse(req.body);
      if (!parsed.success) {
        // What they typed is shown again, so nothing is lost while they fix it.
        const reportForm = { source: String(req.body?.source ?? ''), text: String(req.body?.text ?? ''), problems: parsed.error.issues.map((i) => i.message) };
        return await renderStudentPanel(res, launch, member, now(), { reportForm, status: 400 });
      }
      const { source, text } = parsed.data;
      const report = await createDataReport({ moduleId: launch.module.id, memberId: member.id, source: source === 'other' ? null : source, text });
      await recordAuditInModule(launch, 'data-report.create', { moduleId: launch.module.id, learnerMemberId: member.id, actingAs: 'student' }, { reportId: report.id, source }, now());
      res.redirect(303, `/app/me?ltik=${encodeURIComponent(launch.ltik)}&reported=1#report-incorrect-data`);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
