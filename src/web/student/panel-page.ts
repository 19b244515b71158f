import type { Response } from 'express';
import { recordAuditInModule } from '../../governance/audit-log';
import { buildStudentPanelView } from '../../reports/student-panel-report';
import type { Member } from '../../store/types';
import type { CurrentLaunch } from '../launch-session';

export interface ReportFormState {
  source: string;
  text: string;
  problems: string[];
}

/** Renders the student's own panel; every render is a view of their data, so it is audited (students' own views too). */
export async function renderStudentPanel(
  res: Response,
  launch: CurrentLaunch,
  member: Member,
  now: Date,
  page: { reported?: boolean; reportForm?: ReportFormState; status?: number } = {},
): Promise<void> {
  const view = await buildStudentPanelView(launch.module, member, now);
  await recordAuditInModule(launch, 'learner.view', { moduleId: launch.module.id, learnerMemberId: member.id, actingAs: 'student' }, { page: 'student-panel' }, now);
  const form = page.reportForm ?? { source: '', text: '', problems: [] };
  res.status(page.status ?? 200).render('student-panel', {
    title: 'Your engagement',
    moduleTitle: view.moduleTitle,
    view,
    reported: Boolean(page.reported),
    form,
    sourceOptions: view.sourceOptions.map((o) => ({ ...o, selected: o.value === form.source })),
    scripts: view.chart ? ['/static/vendor/chartjs/chart.umd.min.js', '/static/js/engagement-chart.js'] : [],
    ltik: launch.ltik,
  });
}
