import { Router } from 'express';
import { z } from 'zod';
import { errors } from '../../errors';
import { recordAudit } from '../../governance/audit-log';
import { buildAlertQueue, QUEUE_TABS, type AlertQueueQuery } from '../../reports/alert-queue-report';
import { ALERT_ACTIONS, transitionFor } from '../../reports/alert-transition';
import { changeAlertState, findAlert } from '../../store/alert-repository';
import { RULE_ORDER } from '../../reports/staff-wording';
import { requireRole } from '../launch-session';
import { noticeFor } from './notices';
import { parseOrRefuse } from './request-parsing';
import { redirectWithNotice, staffViewerOf, visibleMemberOr404 } from './staff-launch';

const queueQuery = z.object({
  tab: z.enum(QUEUE_TABS, { message: `choose one of ${QUEUE_TABS.join(', ')}` }).default('attention'),
  rule: z.enum(['all', ...RULE_ORDER] as [string, ...string[]], { message: `choose all or one of ${RULE_ORDER.join(', ')}` }).default('all'),
  page: z.coerce.number({ message: 'use a page number' }).int().min(1).max(100_000).default(1),
});

const alertChange = z.object({
  action: z.enum(ALERT_ACTIONS, { message: `action: choose one of ${ALERT_ACTIONS.join(', ')}` }),
  note: z.string().trim().max(2000, 'Note: keep it under 2,000 characters').default(''),
  reason: z.string().trim().max(1000, 'Reason: keep it under 1,000 characters').default(''),
  returnTo: z.enum(['queue', 'learner']).default('queue'),
});

const NOTICE_OF = { acknowledge: 'alert-acknowledged', contact: 'alert-contacted', resolve: 'alert-resolved', dismiss: 'alert-dismissed', reopen: 'alert-reopened' } as const;

/** The alert queue: every alert with its evidence in words, and what staff decide about each. */
export function alertQueueRouter(deps: { now: () => Date }): Router {
  const router = Router();

  router.get('/app/module/alerts', requireRole('staff', 'mentor'), async (req, res, next) => {
    try {
      const query = parseOrRefuse(queueQuery, req.query);
      const { launch, viewer } = await staffViewerOf(res);
      const view = await buildAlertQueue(launch.module, viewer, { ...query, rule: query.rule as AlertQueueQuery['rule'] });
      await recordAudit(launch, 'alerts.view', null, { tab: query.tab, shown: view.alerts.length });
      res.render('alerts', {
        title: `Alerts · ${launch.module.title}`,
        moduleTitle: launch.module.title,
        nav: 'alerts',
        showSettings: viewer.isStaff,
        notice: noticeFor(req.query.done),
        view,
        ltik: launch.ltik,
      });
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/module/alerts/:alertId', requireRole('staff', 'mentor'), async (req, res, next) => {
    try {
      const input = parseOrRefuse(alertChange, req.body);
      const { launch, viewer } = await staffViewerOf(res);
      const alert = await findAlert(launch.module.id, String(req.params.alertId));
      if (!alert || !viewer.audiences.includes(alert.audience)) throw errors.notFound('alert');
      await visibleMemberOr404(launch, viewer, alert.memberId);
      const decided = transitionFor(alert, input.action, input);
      if ('refused' in decided) throw errors.badRequest(decided.refused);
      const now = deps.now();
      await changeAlertState(launch.module.id, alert.id, decided.change, { userId: viewer.userId, name: viewer.name }, now);
      await recordAudit(launch, 'alert.update', alert.memberId, { alertId: alert.id, rule: alert.rule, action: input.action, state: decided.change.state }, now);
      const back = input.returnTo === 'learner' ? `/app/learners/${alert.memberId}` : '/app/module/alerts';
      redirectWithNotice(res, launch, back, NOTICE_OF[input.action]);
    } catch (err) {
      next(err);
    }
  });

  return router;
}
