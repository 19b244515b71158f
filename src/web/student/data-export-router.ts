import { Router } from 'express';
import { z } from 'zod';
import { errors } from '../../errors';
import { recordAuditInModule } from '../../governance/audit-log';
import {
  buildStudentDataExport,
  studentExportCsv,
  studentExportFileName,
  studentExportJson,
  studentExportPdf,
  type ExportFormat,
} from '../../governance/student-data-export';
import { currentLaunch, requireRole } from '../launch-session';
import { ownMember } from './own-member';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

const formatParam = z.enum(['json', 'csv', 'pdf']);

/** "Download my data": the student's own records in this module, never anyone else's and never staff-only notes. */
export function studentDataExportRouter(opts: { now?: () => Date } = {}): Router {
  const now = opts.now ?? (() => new Date());
  const router = Router();
  router.get('/app/me/export.:format', requireRole('student'), async (req, res, next) => {
    try {
      const format = formatParam.safeParse(req.params.format);
      if (!format.success) throw errors.notFound('download');
      const launch = currentLaunch(res);
      const member = await ownMember(launch);
      const at = now();
      const data = await buildStudentDataExport(launch.module, member, at);
      const body = format.data === 'json' ? studentExportJson(data) : format.data === 'csv' ? studentExportCsv(data) : await studentExportPdf(data);
      await recordAuditInModule(launch, 'learner.export', { moduleId: launch.module.id, learnerMemberId: member.id, actingAs: 'student' }, { format: format.data }, at);
      res
        .status(200)
        .type(CONTENT_TYPES[format.data])
        .set('Cache-Control', 'no-store')
        .attachment(studentExportFileName(launch.module, format.data, at))
        .send(body);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
