import { Router, type Response } from 'express';
import { recordAudit } from '../../governance/audit-log';
import { rebuildModuleRollups } from '../../ingest/daily-rollup';
import { parseSettingsForm, settingsFormView, type SettingsFormView } from '../../reports/module-settings-form';
import { recomputeWithin } from '../../reports/snapshot-freshness';
import { getModuleSettings, saveModuleSettings } from '../../store/module-settings-repository';
import { setModuleTimeZone } from '../../store/module-repository';
import { requireRole, type CurrentLaunch } from '../launch-session';
import { noticeFor } from './notices';
import { redirectWithNotice, staffViewerOf } from './staff-launch';
import { resolveThresholds } from '../../engagement';

// The sponsored-visa threshold belongs to the visa-compliance staff, who alone see its alerts: others see it locked.
const VISA_THRESHOLD_FIELD = 'threshold-visaNoEngagementDays';
const GENERAL_THRESHOLD_FIELD = 'threshold-noEngagementDays';

function lockVisaThreshold(form: SettingsFormView, seesVisa: boolean): SettingsFormView {
  return { ...form, numeric: form.numeric.map((t) => ({ ...t, locked: !seesVisa && t.key === 'visaNoEngagementDays' })) };
}

function render(res: Response, launch: CurrentLaunch, form: SettingsFormView, extra: { problems?: string[]; notice?: string | null } = {}): void {
  const isStaff = launch.roles.all.has('staff');
  res.status(extra.problems?.length ? 422 : 200).render('settings', {
    title: `Settings · ${launch.module.title}`,
    moduleTitle: launch.module.title,
    // Designers have no dashboard or alerts to go to, only the overview.
    nav: isStaff ? 'settings' : null,
    showSettings: isStaff,
    isStaff,
    notice: extra.notice ?? null,
    problems: extra.problems ?? [],
    form,
    ltik: launch.ltik,
  });
}

/** Module settings for staff and designers: calendar, markers and minimum, alert thresholds, what students are told. */
export function settingsRouter(deps: { now: () => Date }): Router {
  const router = Router();

  router.get('/app/module/settings', requireRole('staff', 'designer'), async (req, res, next) => {
    try {
      const { launch, viewer } = await staffViewerOf(res);
      const settings = await getModuleSettings(launch.module.id, launch.module.createdAt, launch.module.timeZone);
      render(res, launch, lockVisaThreshold(settingsFormView(settings), viewer.seesVisa), { notice: noticeFor(req.query.done) });
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/module/settings', requireRole('staff', 'designer'), async (req, res, next) => {
    try {
      const { launch, viewer } = await staffViewerOf(res);
      const body = { ...(req.body as Record<string, unknown>) };
      if (!viewer.seesVisa) {
        // The stored value stands, except that it can never be more lenient than the rule for everyone: lowering
        // that lowers it too (rather than refusing a form whose visa field this person cannot change).
        const stored = await getModuleSettings(launch.module.id, launch.module.createdAt, launch.module.timeZone);
        const general = Number(body[GENERAL_THRESHOLD_FIELD]);
        const visa = resolveThresholds(stored.thresholds).visaNoEngagementDays;
        body[VISA_THRESHOLD_FIELD] = String(Number.isInteger(general) && general >= 1 ? Math.min(visa, general) : visa);
      }
      const { input, problems, form } = parseSettingsForm(body);
      if (!input) return render(res, launch, lockVisaThreshold(form, viewer.seesVisa), { problems });
      const now = deps.now();
      await saveModuleSettings(launch.module.id, input, launch.session.userId);
      // Days are counted in the module's zone: a new zone moves events across midnight, so rollups are rebuilt.
      const zoneChanged = await setModuleTimeZone(launch.module.id, input.calendar.timeZone);
      if (zoneChanged) await rebuildModuleRollups(launch.module.id, input.calendar.timeZone);
      // What decides who is prompted for a contact is recorded with who changed it: thresholds that differ from the
      // policy defaults, and the markers and minimum (null: the defaults).
      await recordAudit(
        launch,
        'module-settings.update',
        null,
        { zoneChanged, start: input.calendar.start, end: input.calendar.end, thresholds: JSON.stringify(input.thresholds), markers: input.markers ? JSON.stringify(input.markers) : null },
        now,
      );
      await recomputeWithin(launch.module.id, now);
      redirectWithNotice(res, launch, '/app/module/settings', 'settings-saved');
    } catch (err) {
      next(err);
    }
  });

  return router;
}
