import { Router, type Response } from 'express';
import { z } from 'zod';
import { errors } from '../../errors';
import { recordAuditInModule } from '../../governance/audit-log';
import { buildPersonHoldingsView, erasureResultView, type PersonHoldingsView } from '../../governance/data-rights-view';
import { erasePerson, erasureAuditDetail } from '../../governance/person-erasure';
import { buildSubjectAccessExport, findPerson, subjectAccessJson, subjectAccessPdf } from '../../governance/subject-access-export';
import { currentLaunch, requireRole, type CurrentLaunch } from '../launch-session';

const userId = z.string({ message: 'Enter the person’s Moodle user id.' }).trim().min(1, 'Enter the person’s Moodle user id.').max(255, 'A Moodle user id is at most 255 characters.');
const lookupQuery = z.object({ user: userId.optional() });
const exportQuery = z.object({ user: userId });
const eraseBody = z.object({ user: userId, confirm: z.string().trim().max(255).optional() });

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw errors.badRequest(parsed.error.issues.map((i) => i.message).join(' '));
  return parsed.data;
}

/** One entry per member record touched, in that record's module, so the learner's own access log shows it. */
async function auditPerson(launch: CurrentLaunch, action: string, platformId: string, user: string, detail: Record<string, string> = {}): Promise<void> {
  const person = await findPerson(platformId, user);
  for (const ref of person.refs) await recordAuditInModule(launch, action, { moduleId: ref.moduleId, learnerMemberId: ref.memberId, actingAs: 'admin' }, detail);
}

function renderPage(res: Response, launch: CurrentLaunch, page: { holdings?: PersonHoldingsView; problems?: string[]; erased?: ReturnType<typeof erasureResultView>; status?: number }): void {
  res.status(page.status ?? 200).render('admin-data-rights', { title: 'Data rights', moduleTitle: launch.module.title, adminNav: 'data-rights', ...page, ltik: launch.ltik });
}

/** Subject access export and erasure on request, for administrators, within their own platform. */
export function adminDataRightsRouter(opts: { now?: () => Date } = {}): Router {
  const now = opts.now ?? (() => new Date());
  const router = Router();

  router.get('/app/admin/data-rights', requireRole('admin'), async (req, res, next) => {
    try {
      const { user } = parse(lookupQuery, req.query);
      const launch = currentLaunch(res);
      if (!user) return renderPage(res, launch, {});
      const holdings = await buildPersonHoldingsView(launch.session.platformId, user);
      await auditPerson(launch, 'person.lookup', launch.session.platformId, user);
      renderPage(res, launch, { holdings });
    } catch (err) {
      next(err);
    }
  });

  router.get('/app/admin/data-rights/export.:format', requireRole('admin'), async (req, res, next) => {
    try {
      const format = z.enum(['json', 'pdf']).safeParse(req.params.format);
      if (!format.success) throw errors.notFound('download');
      const { user } = parse(exportQuery, req.query);
      const launch = currentLaunch(res);
      const at = now();
      const data = await buildSubjectAccessExport(launch.session.platformId, user, at);
      const body = format.data === 'json' ? subjectAccessJson(data) : await subjectAccessPdf(data);
      await auditPerson(launch, 'person.export', launch.session.platformId, user, { format: format.data });
      res
        .status(200)
        .type(format.data === 'json' ? 'application/json; charset=utf-8' : 'application/pdf')
        .set('Cache-Control', 'no-store')
        .attachment(`waymark-subject-access-${at.toISOString().slice(0, 10)}.${format.data}`)
        .send(body);
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/admin/data-rights/erase', requireRole('admin'), async (req, res, next) => {
    try {
      const launch = currentLaunch(res);
      const { user, confirm } = parse(eraseBody, req.body);
      const platformId = launch.session.platformId;
      const problems: string[] = [];
      if (confirm !== user) problems.push(`Type the Moodle user id “${user}” again in the confirmation box to erase their data.`);
      if (user === launch.session.userId) problems.push('You cannot erase your own data while you are signed in with it; ask another administrator.');
      if (problems.length > 0) return renderPage(res, launch, { holdings: await buildPersonHoldingsView(platformId, user), problems, status: 400 });
      const outcome = await erasePerson(platformId, user);
      // Counts only: the entry must not keep the erased person's id, name or any of their data.
      await recordAuditInModule(launch, 'person.erase', { moduleId: null, learnerMemberId: null, actingAs: 'admin' }, erasureAuditDetail(outcome), now());
      renderPage(res, launch, { erased: erasureResultView(user, outcome) });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
