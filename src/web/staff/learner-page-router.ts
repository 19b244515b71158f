import { Router, type Response } from 'express';
import { recordAudit } from '../../governance/audit-log';
import { buildLearnerPage } from '../../reports/learner-page-report';
import type { CurrentLaunch } from '../launch-session';
import { requireRole } from '../launch-session';
import type { StaffViewer } from '../../reports/staff-viewer';
import type { Member } from '../../store/types';
import type { FormValues } from './learner-forms';
import { noticeFor } from './notices';
import { staffViewerOf, visibleMemberOr404 } from './staff-launch';

export interface LearnerFormProblem {
  form: 'intervention' | 'known-cause';
  messages: string[];
  values: FormValues;
}

/** Renders the learner page, recording the view; a refused form comes back with its messages and values. */
export async function renderLearnerPage(
  res: Response,
  ctx: { launch: CurrentLaunch; viewer: StaffViewer; member: Member; now: Date },
  extra: { notice?: string | null; problem?: LearnerFormProblem } = {},
): Promise<void> {
  const view = await buildLearnerPage(ctx.launch.module, ctx.member, ctx.viewer, ctx.now);
  await recordAudit(ctx.launch, 'learner.view', ctx.member.id, { page: 'learner' });
  const problem = extra.problem;
  res.status(problem ? 422 : 200).render('learner', {
    title: view.name,
    moduleTitle: ctx.launch.module.title,
    nav: 'dashboard',
    showSettings: ctx.viewer.isStaff,
    scripts: ['/static/vendor/chartjs/chart.umd.min.js', '/static/js/engagement-chart.js', '/static/js/copy-text.js'],
    notice: extra.notice ?? null,
    problem: problem ? { ...problem, isIntervention: problem.form === 'intervention', isKnownCause: problem.form === 'known-cause' } : null,
    values: problem?.values ?? {},
    view,
    ltik: ctx.launch.ltik,
  });
}

export function learnerPageRouter(deps: { now: () => Date }): Router {
  const router = Router();
  router.get('/app/learners/:memberId', requireRole('staff', 'mentor'), async (req, res, next) => {
    try {
      const { launch, viewer } = await staffViewerOf(res);
      const member = await visibleMemberOr404(launch, viewer, String(req.params.memberId));
      await renderLearnerPage(res, { launch, viewer, member, now: deps.now() }, { notice: noticeFor(req.query.done) });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
