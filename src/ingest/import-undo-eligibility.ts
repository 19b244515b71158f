import { isInterruptedRun, type ImportRun } from '../store/import-run-repository';

// Whether an import run may be undone, and if not, why in words staff can act on. Decided from the run alone,
// so the run page and the undo itself give the same answer.

export type UndoRefusal = 'in-progress' | 'assignment-file' | 'raised-totals' | 'raised-unknown' | 'already-undone' | 'undo-under-way';

/** An undo claimed longer ago than this and still unfinished was interrupted, and may be run again to complete it. */
export const UNDO_STALE_AFTER_MS = 30 * 60_000;

export function undoRefusalOf(run: ImportRun, now: Date): UndoRefusal | null {
  if (run.undo?.finishedAt) return 'already-undone';
  if (run.undo && now.getTime() - run.undo.at.getTime() <= UNDO_STALE_AFTER_MS) return 'undo-under-way';
  if (run.status === 'running' && !isInterruptedRun(run, now)) return 'in-progress';
  // Submissions do not record the import that wrote them, so what such a run changed cannot be told apart.
  if (run.source === 'assignment') return 'assignment-file';
  // Only Echo360 raises stored totals; the earlier counts are not kept, so the earlier run's data would go too.
  if (run.format === 'echo360' && run.raisedTotals === null) return 'raised-unknown';
  if ((run.raisedTotals ?? 0) > 0) return 'raised-totals';
  return null;
}

export function undoRefusalText(refusal: UndoRefusal, run: ImportRun, formatInstant: (d: Date) => string): string {
  switch (refusal) {
    case 'already-undone':
      return `This import was already undone by ${run.undo!.byName || 'someone'} on ${formatInstant(run.undo!.finishedAt!)}; nothing was changed.`;
    case 'undo-under-way':
      return 'This import is being undone right now; reload this page in a minute.';
    case 'in-progress':
      return 'This import is still running. It can be undone once it has finished: reload this page to see when.';
    case 'assignment-file':
      return 'Imports of grading worksheets and gradebooks cannot be undone: Waymark does not record which submissions each import created or changed, so an undo could remove what another import or Moodle itself recorded.';
    case 'raised-totals':
      return `This import cannot be undone: it raised ${run.raisedTotals} view ${run.raisedTotals === 1 ? 'count' : 'counts'} that an earlier Echo360 import had stored, and the earlier counts are not kept, so an undo would delete that earlier import’s data too.`;
    case 'raised-unknown':
      return 'This import cannot be undone: Waymark did not record whether it raised view counts that an earlier Echo360 import had stored (it stopped part-way, or ran before Waymark kept that count), so an undo might delete that earlier import’s data too.';
  }
}
