import { Router } from 'express';
import { errors } from '../../errors';
import { recordAudit } from '../../governance/audit-log';
import { recomputeWithin } from '../../reports/snapshot-freshness';
import { markMemberAlertsContacted } from '../../store/alert-repository';
import { listDataReports, updateDataReport } from '../../store/data-report-repository';
import { recordIntervention } from '../../store/intervention-repository';
import { addKnownCause, removeKnownCause } from '../../store/known-cause-repository';
import { setMemberNotLearner, setMemberSponsoredVisa } from '../../store/member-flags-repository';
import { todayIn } from '../../reports/engagement-members';
import { requireRole } from '../launch-session';
import { dataReportForm, formValues, interventionForm, issueMessages, knownCauseForm, yesNoForm } from './learner-forms';
import { renderLearnerPage } from './learner-page-router';
import { parseOrRefuse } from './request-parsing';
import { redirectWithNotice, staffViewerOf, visibleMemberOr404 } from './staff-launch';

const learnerPath = (memberId: string) => `/app/learners/${memberId}`;

/**
 * What staff record about a learner: supportive contacts, known causes, their response to the learner's data
 * reports and the two flags. Each change is audited; changes that alter the figures recompute the module.
 */
export function learnerCareRouter(deps: { now: () => Date }): Router {
  const router = Router();

  router.post('/app/learners/:memberId/interventions', requireRole('staff', 'mentor'), async (req, res, next) => {
    try {
      const { launch, viewer } = await staffViewerOf(res);
      const member = await visibleMemberOr404(launch, viewer, String(req.params.memberId));
      const now = deps.now();
      const parsed = interventionForm.safeParse(req.body);
      const today = todayIn(now, launch.module.timeZone);
      const problems = parsed.success ? (parsed.data.contactedOn > today ? ['Date of contact: it is in the future; record a contact once it has happened.'] : []) : issueMessages(parsed.error);
      if (!parsed.success || problems.length > 0) {
        return await renderLearnerPage(res, { launch, viewer, member, now }, { problem: { form: 'intervention', messages: problems, values: formValues(req.body) } });
      }
      const form = parsed.data;
      const actor = { userId: viewer.userId, name: viewer.name };
      const saved = await recordIntervention({
        moduleId: launch.module.id,
        memberId: member.id,
        method: form.method,
        contactedOn: form.contactedOn,
        note: form.note,
        outcome: form.outcome,
        followUpOn: form.followUpOn || null,
        recordedByUserId: actor.userId,
        recordedByName: actor.name,
      });
      const marked = form.markAlertsContacted ? await markMemberAlertsContacted(launch.module.id, member.id, viewer.audiences, actor, `Contact recorded (${form.method}, ${form.contactedOn}).`, now) : 0;
      await recordAudit(launch, 'intervention.create', member.id, { interventionId: saved.id, method: form.method, alertsMarkedContacted: marked }, now);
      redirectWithNotice(res, launch, learnerPath(member.id), 'contact-recorded');
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/learners/:memberId/known-causes', requireRole('staff'), async (req, res, next) => {
    try {
      const { launch, viewer } = await staffViewerOf(res);
      const member = await visibleMemberOr404(launch, viewer, String(req.params.memberId));
      const now = deps.now();
      const parsed = knownCauseForm.safeParse(req.body);
      if (!parsed.success) {
        return await renderLearnerPage(res, { launch, viewer, member, now }, { problem: { form: 'known-cause', messages: issueMessages(parsed.error), values: formValues(req.body) } });
      }
      const cause = await addKnownCause({ moduleId: launch.module.id, memberId: member.id, ...parsed.data, createdByUserId: viewer.userId, createdByName: viewer.name });
      await recordAudit(launch, 'known-cause.create', member.id, { knownCauseId: cause.id, from: cause.from, to: cause.to }, now);
      await recomputeWithin(launch.module.id, now);
      redirectWithNotice(res, launch, learnerPath(member.id), 'cause-added');
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/learners/:memberId/known-causes/:causeId/remove', requireRole('staff'), async (req, res, next) => {
    try {
      const { launch, viewer } = await staffViewerOf(res);
      const member = await visibleMemberOr404(launch, viewer, String(req.params.memberId));
      const removed = await removeKnownCause(launch.module.id, member.id, String(req.params.causeId));
      if (!removed) throw errors.notFound('known cause');
      const now = deps.now();
      await recordAudit(launch, 'known-cause.delete', member.id, { knownCauseId: removed.id, from: removed.from, to: removed.to }, now);
      await recomputeWithin(launch.module.id, now);
      redirectWithNotice(res, launch, learnerPath(member.id), 'cause-removed');
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/learners/:memberId/data-reports/:reportId', requireRole('staff'), async (req, res, next) => {
    try {
      const form = parseOrRefuse(dataReportForm, req.body);
      const { launch, viewer } = await staffViewerOf(res);
      const member = await visibleMemberOr404(launch, viewer, String(req.params.memberId));
      const reportId = String(req.params.reportId);
      // The report must be this learner's: another learner's id under this URL would be changed and audited against the wrong person.
      if (!(await listDataReports(launch.module.id, member.id)).some((r) => r.id === reportId)) throw errors.notFound('data report');
      const updated = await updateDataReport(launch.module.id, reportId, form);
      if (!updated) throw errors.notFound('data report');
      await recordAudit(launch, 'data-report.update', member.id, { reportId, status: form.status });
      redirectWithNotice(res, launch, learnerPath(member.id), 'report-updated');
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/learners/:memberId/not-learner', requireRole('staff'), async (req, res, next) => {
    try {
      const { value } = parseOrRefuse(yesNoForm, req.body);
      const { launch, viewer } = await staffViewerOf(res);
      const member = await visibleMemberOr404(launch, viewer, String(req.params.memberId));
      await setMemberNotLearner(launch.module.id, member.id, value === 'yes');
      const now = deps.now();
      await recordAudit(launch, 'learner.update', member.id, { notLearner: value === 'yes' }, now);
      await recomputeWithin(launch.module.id, now);
      redirectWithNotice(res, launch, learnerPath(member.id), 'learner-flag-updated');
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/learners/:memberId/sponsored-visa', requireRole('staff', 'mentor'), async (req, res, next) => {
    try {
      const { value } = parseOrRefuse(yesNoForm, req.body);
      const { launch, viewer } = await staffViewerOf(res);
      // Visa status is special: only the people an administrator named for visa compliance, or an administrator.
      if (!viewer.canEditVisa) throw errors.forbidden('Only visa-compliance staff named by your Waymark administrator can change sponsored-visa status.');
      const member = await visibleMemberOr404(launch, viewer, String(req.params.memberId));
      await setMemberSponsoredVisa(launch.module.id, member.id, value === 'yes');
      const now = deps.now();
      await recordAudit(launch, 'learner.visa-update', member.id, { sponsoredVisa: value === 'yes' }, now);
      await recomputeWithin(launch.module.id, now);
      redirectWithNotice(res, launch, learnerPath(member.id), 'visa-updated');
    } catch (err) {
      next(err);
    }
  });

  return router;
}
