import { Router, type Response } from 'express';
import { z } from 'zod';
import { recordAuditInModule } from '../../governance/audit-log';
import { findPlatformProfile, setVisaComplianceStaff } from '../../store/platform-repository';
import { findNamesOfUsers, listModulesOfPlatform } from '../../store/member-records-repository';
import { currentLaunch, requireRole, type CurrentLaunch } from '../launch-session';

// Sponsored-visa flags and alerts are for the university's visa-compliance team only (Nottingham's policy names
// its Visa and Immigration team). An administrator of the Moodle site names who they are, person by person.

const userId = z.string({ message: 'Enter the person’s Moodle user id.' }).trim().min(1, 'Enter the person’s Moodle user id.').max(255, 'A Moodle user id is at most 255 characters.');
const changeBody = z.object({ user: userId });

interface Outcome {
  kind: 'named' | 'unnamed' | 'unchanged';
  userId: string;
}

async function renderPage(res: Response, launch: CurrentLaunch, page: { outcome?: Outcome; problems?: string[]; status?: number } = {}): Promise<void> {
  const platformId = launch.session.platformId;
  const named = (await findPlatformProfile(platformId))?.visaComplianceUserIds ?? [];
  const modules = await listModulesOfPlatform(platformId);
  const names = await findNamesOfUsers(modules.map((m) => m.id), named);
  const people = [...named].sort().map((id) => ({ userId: id, name: names.get(id) ?? '' }));
  res.status(page.status ?? 200).render('admin-visa-staff', { title: 'Visa-compliance staff', moduleTitle: launch.module.title, adminNav: 'visa-staff', people, ...page, ltik: launch.ltik });
}

/** Administrators name and un-name their own platform's visa-compliance staff. */
export function adminVisaStaffRouter(opts: { now?: () => Date } = {}): Router {
  const now = opts.now ?? (() => new Date());
  const router = Router();

  router.get('/app/admin/visa-staff', requireRole('admin'), async (_req, res, next) => {
    try {
      await renderPage(res, currentLaunch(res));
    } catch (err) {
      next(err);
    }
  });

  for (const [path, named] of [
    ['/app/admin/visa-staff', true],
    ['/app/admin/visa-staff/remove', false],
  ] as const) {
    router.post(path, requireRole('admin'), async (req, res, next) => {
      try {
        const launch = currentLaunch(res);
        const parsed = changeBody.safeParse(req.body);
        if (!parsed.success) return await renderPage(res, launch, { problems: parsed.error.issues.map((i) => i.message), status: 400 });
        const { user } = parsed.data;
        const changed = await setVisaComplianceStaff(launch.session.platformId, user, named);
        if (!changed) return await renderPage(res, launch, { outcome: { kind: 'unchanged', userId: user } });
        await recordAuditInModule(launch, named ? 'visa-staff.name' : 'visa-staff.unname', { moduleId: null, learnerMemberId: null, actingAs: 'admin' }, { staffUserId: user }, now());
        await renderPage(res, launch, { outcome: { kind: named ? 'named' : 'unnamed', userId: user } });
      } catch (err) {
        next(err);
      }
    });
  }

  return router;
}
