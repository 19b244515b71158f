import { Router } from 'express';
import { z } from 'zod';
import { errors } from '../../errors';
import { recordAuditInModule } from '../../governance/audit-log';
import { AUDIT_CSV_HEADER, auditCsvRows, buildAuditPage, decodeCursor, UnknownModuleError, type AuditFilter } from '../../governance/audit-browsing';
import { CSV_BOM, csvLine } from '../../governance/csv-text';
import { currentLaunch, requireRole, type CurrentLaunch } from '../launch-session';

const auditQuery = z.object({
  module: z.union([z.literal(''), z.string().regex(/^[0-9a-f]{24}$/, 'Choose a module from the list.')]).optional(),
  learner: z.string().trim().max(255, 'A Moodle user id is at most 255 characters.').optional(),
  action: z.union([z.literal(''), z.string().regex(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/, 'Choose an action from the list.')]).optional(),
  // The next page's cursor, as the page's own link writes it; an impossible time would otherwise reach the query.
  after: z
    .string()
    .max(60)
    .refine((v) => v === '' || !Number.isNaN(decodeCursor(v)?.at.getTime() ?? NaN), 'Open the next page with the link on the audit page.')
    .optional(),
});

function parseFilter(query: unknown): { filter: AuditFilter; after?: string } {
  const parsed = auditQuery.safeParse(query);
  if (!parsed.success) throw errors.badRequest(parsed.error.issues.map((i) => i.message).join(' '));
  const q = parsed.data;
  return { filter: { moduleId: q.module || undefined, learnerUserId: q.learner || undefined, action: q.action || undefined }, after: q.after };
}

function auditDetail(filter: AuditFilter): Record<string, string | boolean | null> {
  // Which filters were used, never the learner's id: the entry is about the administrator's access.
  return { module: filter.moduleId ?? null, action: filter.action ?? null, learnerFilter: Boolean(filter.learnerUserId) };
}

const record = (launch: CurrentLaunch, action: string, filter: AuditFilter) =>
  recordAuditInModule(launch, action, { moduleId: launch.module.id, learnerMemberId: null, actingAs: 'admin' }, auditDetail(filter));

/** Administrators browse and export the audit log of their own platform (the launch's), never another's. */
export function adminAuditRouter(): Router {
  const router = Router();

  router.get('/app/admin/audit', requireRole('admin'), async (req, res, next) => {
    try {
      const { filter, after } = parseFilter(req.query);
      const launch = currentLaunch(res);
      const view = await buildAuditPage(launch.session.platformId, filter, decodeCursor(after));
      await record(launch, 'audit.view', filter);
      res.render('admin-audit', { title: 'Audit log', moduleTitle: launch.module.title, view, adminNav: 'audit', ltik: launch.ltik });
    } catch (err) {
      next(err instanceof UnknownModuleError ? errors.badRequest(err.message) : err);
    }
  });

  router.get('/app/admin/audit.csv', requireRole('admin'), async (req, res, next) => {
    try {
      const { filter } = parseFilter(req.query);
      const launch = currentLaunch(res);
      const rows = auditCsvRows(launch.session.platformId, filter);
      // The first row is read before anything is sent, so a bad filter still gets an error page.
      const first = await rows.next();
      await record(launch, 'audit.export', filter);
      res.status(200).type('text/csv; charset=utf-8').set('Cache-Control', 'no-store').attachment(`waymark-audit-${new Date().toISOString().slice(0, 10)}.csv`);
      res.write(CSV_BOM + csvLine(AUDIT_CSV_HEADER));
      if (!first.done) res.write(csvLine(first.value));
      for await (const row of rows) res.write(csvLine(row));
      res.end();
    } catch (err) {
      if (res.headersSent) return res.destroy(err as Error);
      next(err instanceof UnknownModuleError ? errors.badRequest(err.message) : err);
    }
  });

  return router;
}
