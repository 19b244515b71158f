import path from 'node:path';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { errors } from '../../errors';
import { recordAudit } from '../../governance/audit-log';
import { runFileImport, isImportFormat } from '../../ingest/file-import-run';
import { buildImportPage, buildImportRunView } from '../../reports/import-page-report';
import { setAssignmentDueDate } from '../../store/assignment-repository';
import { markModuleDataChanged } from '../../store/module-repository';
import { recomputeSoon } from '../../reports/recompute-soon';
import { findImportRun, type ImportRun } from '../../store/import-run-repository';
import { undoImportRun } from '../../ingest/import-run-undo';
import { undoRefusalText } from '../../ingest/import-undo-eligibility';
import { instantFormatter } from '../../reports/display-format';
import { currentLaunch, requireRole, type CurrentLaunch } from '../launch-session';
import { uploadContentProblem } from './upload-content';
import { redirectWithNotice } from './staff-launch';
import { DUE_DATE_EXAMPLE, readDueDate } from '../../ingest/due-date-input';

// Staff upload of engagement exports: the form, the upload itself, the result of each import (and its undo), and
// due dates for imported assignments whose files carry none.

export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1_048_576;
const ACCEPTED_EXTENSIONS = ['.csv', '.txt', '.tsv'];

const NOTICES: Record<string, string> = {
  'due-date-saved': 'Due date saved. The assignment now counts as expected once that date has passed.',
  'due-date-cleared': 'Due date removed.',
  'import-undone': 'Import undone: the events it stored are removed and the days they were on are counted again. The analysis is being brought up to date.',
};

const uploadFieldsSchema = z.object({
  format: z.string().refine(isImportFormat, 'choose one of the listed formats'),
  // 'auto' lets the file's own dates decide (UK order when none tells), as the CLI does when no order is given.
  dayMonthOrder: z
    .enum(['auto', 'dmy', 'mdy'], { message: 'choose how dates are written in the file' })
    .default('auto')
    .transform((v) => (v === 'auto' ? undefined : v)),
  assignmentName: z.string().trim().max(200, 'the assignment name is at most 200 characters').optional().transform((v) => v || undefined),
  due: z.string().trim().optional().transform((v) => v || undefined),
});

const dueDateSchema = z.object({
  due: z.string().trim().max(40).optional().transform((v) => v || undefined),
  returnTo: z.string().regex(/^[0-9a-f]{24}$/).optional(),
});

interface UploadProblem {
  status: number;
  message: string;
}

class UploadRefused extends Error {}

/** Reads the one file into memory (bounded), turning multer's failures into a message for the form. */
function receiveUpload(maxBytes: number): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
    fileFilter: (_req, file, accept) => {
      const ext = path.extname(file.originalname).toLowerCase();
      if (ACCEPTED_EXTENSIONS.includes(ext)) accept(null, true);
      else accept(new UploadRefused(`“${file.originalname}” is not a text export: choose the .csv, .txt or .tsv file as the system downloaded it (not a spreadsheet saved as .xlsx).`));
    },
  }).single('file');
  const maxMb = Math.floor(maxBytes / 1_048_576);
  return (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      let problem: UploadProblem;
      if (err instanceof UploadRefused) problem = { status: 415, message: err.message };
      else if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
        problem = { status: 413, message: `The file is larger than ${maxMb} MB. Split it into shorter periods (for example one month of logs each) and import each part; rows imported twice are stored once.` };
      } else if (err instanceof multer.MulterError) problem = { status: 400, message: 'Upload one file with the form on this page.' };
      else return next(err);
      res.locals.uploadProblem = problem;
      next();
    });
  };
}

export function importRouter(deps: { now: () => Date; maxUploadBytes?: number }): Router {
  const router = Router();
  const maxBytes = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;

  const renderForm = async (res: Response, launch: CurrentLaunch, extra: { status?: number; problems?: string[]; form?: Record<string, unknown>; notice?: string | null } = {}) => {
    const view = await buildImportPage(launch.module, maxBytes, deps.now());
    res.status(extra.status ?? 200).render('import', {
      title: 'Import data',
      moduleTitle: launch.module.title || launch.module.label,
      nav: 'import',
      showSettings: true,
      view,
      problems: extra.problems ?? [],
      form: extra.form ?? { format: 'moodle-course-log', dayMonthOrder: 'auto' },
      notice: extra.notice ?? null,
      ltik: launch.ltik,
      csrf: res.locals.csrf,
    });
  };

  router.get('/app/module/import', requireRole('staff'), async (req, res, next) => {
    try {
      const notice = typeof req.query.done === 'string' ? (NOTICES[req.query.done] ?? null) : null;
      await renderForm(res, currentLaunch(res), { notice });
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/module/import', requireRole('staff'), receiveUpload(maxBytes), async (req: Request, res: Response, next: NextFunction) => {
    try {
      const launch = currentLaunch(res);
      const fields = uploadFieldsSchema.safeParse(req.body ?? {});
      const form = { format: req.body?.format, dayMonthOrder: req.body?.dayMonthOrder, assignmentName: req.body?.assignmentName, due: req.body?.due };
      const problem = res.locals.uploadProblem as UploadProblem | undefined;
      if (problem) return await renderForm(res, launch, { status: problem.status, problems: [problem.message], form });
      // Refused before the import starts, so no run, event or anything else is stored for a file that is not text.
      const contentProblem = req.file ? uploadContentProblem(req.file) : null;
      if (contentProblem) return await renderForm(res, launch, { status: contentProblem.status, problems: [contentProblem.message], form });
      const problems = fields.success ? [] : fields.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`);
      if (!req.file) problems.push('Choose the file to import.');
      const dueText = fields.success ? fields.data.due : undefined;
      const dueAt = dueText ? readDueDate(dueText, launch.module.timeZone) : null;
      if (dueText && !dueAt) problems.push(`Due date: “${dueText}” is not a date and time in ${launch.module.timeZone}; write it like ${DUE_DATE_EXAMPLE}.`);
      if (!fields.success || !req.file || problems.length > 0) return await renderForm(res, launch, { status: 400, problems, form });

      const file = req.file;
      const outcome = await runFileImport(launch.module, file.buffer, {
        format: fields.data.format as Parameters<typeof runFileImport>[2]['format'],
        filename: path.basename(file.originalname),
        dayMonthOrder: fields.data.dayMonthOrder,
        assignmentName: fields.data.assignmentName,
        dueAt,
        by: { userId: launch.session.userId, name: launch.session.displayName },
        via: 'upload',
        now: deps.now,
      });
      // Bring the stored analysis up to date at once; a failure shows on the dashboard, which tries again.
      if (outcome.ok && outcome.report.imported > 0) recomputeSoon(launch.module.id, { now: deps.now, delayMs: 0 });
      await recordAudit(launch, 'import.create', null, { format: fields.data.format, importRun: outcome.runId, ok: outcome.ok }, deps.now());
      res.redirect(303, `/app/module/import/runs/${outcome.runId}?ltik=${encodeURIComponent(launch.ltik)}`);
    } catch (err) {
      next(err);
    }
  });

  const renderRun = async (res: Response, launch: CurrentLaunch, run: ImportRun, extra: { status?: number; notice?: string | null; undoProblem?: string } = {}) => {
    const view = await buildImportRunView(launch.module, run, deps.now());
    res.status(extra.status ?? 200).render('import-run', {
      title: 'Import result',
      notice: extra.notice ?? null,
      undoProblem: extra.undoProblem ?? null,
      moduleTitle: launch.module.title || launch.module.label,
      nav: 'import',
      showSettings: true,
      view,
      ltik: launch.ltik,
      csrf: res.locals.csrf,
    });
  };

  router.get('/app/module/import/runs/:runId', requireRole('staff'), async (req, res, next) => {
    try {
      const launch = currentLaunch(res);
      const run = await findImportRun(launch.module.id, String(req.params.runId));
      if (!run) throw errors.notFound('import');
      await renderRun(res, launch, run, { notice: typeof req.query.done === 'string' ? (NOTICES[req.query.done] ?? null) : null });
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/module/import/runs/:runId/undo', requireRole('staff'), async (req, res, next) => {
    try {
      const launch = currentLaunch(res);
      const at = deps.now();
      const outcome = await undoImportRun(launch.module, String(req.params.runId), { userId: launch.session.userId, name: launch.session.displayName }, at);
      if (outcome.kind === 'not-found') throw errors.notFound('import');
      if (outcome.kind === 'refused') {
        // Nothing changed: the page says why, with the run as it stands.
        const message = undoRefusalText(outcome.refusal, outcome.run, instantFormatter(launch.module.timeZone));
        return await renderRun(res, launch, outcome.run, { status: 409, undoProblem: message });
      }
      // Bring the stored analysis up to date at once, as after an import; a failure shows on the dashboard, which tries again.
      if (outcome.eventsRemoved > 0 || outcome.resumed) recomputeSoon(launch.module.id, { now: deps.now, delayMs: 0 });
      await recordAudit(launch, 'import.undo', null, { importRun: outcome.run.id, eventsRemoved: outcome.eventsRemoved, memberDays: outcome.memberDays, resumed: outcome.resumed }, at);
      redirectWithNotice(res, launch, `/app/module/import/runs/${outcome.run.id}`, 'import-undone');
    } catch (err) {
      next(err);
    }
  });

  router.post('/app/module/assignments/:assignmentId/due-date', requireRole('staff'), async (req, res, next) => {
    try {
      const launch = currentLaunch(res);
      const parsed = dueDateSchema.safeParse(req.body ?? {});
      if (!parsed.success) throw errors.badRequest('Reload the import page and try again.');
      const due = parsed.data.due ? readDueDate(parsed.data.due, launch.module.timeZone) : null;
      if (parsed.data.due && !due) throw errors.badRequest(`“${parsed.data.due}” is not a date and time in ${launch.module.timeZone}; write the due date like ${DUE_DATE_EXAMPLE}.`);
      const assignmentId = String(req.params.assignmentId);
      if (!(await setAssignmentDueDate(launch.module.id, assignmentId, due))) throw errors.notFound('assignment');
      await markModuleDataChanged(launch.module.id);
      await recordAudit(launch, 'assignment.update', null, { assignment: assignmentId, dueAt: due ? due.toISOString() : null }, deps.now());
      const back = parsed.data.returnTo ? `/app/module/import/runs/${parsed.data.returnTo}` : '/app/module/import';
      redirectWithNotice(res, launch, back, due ? 'due-date-saved' : 'due-date-cleared');
    } catch (err) {
      next(err);
    }
  });

  return router;
}
