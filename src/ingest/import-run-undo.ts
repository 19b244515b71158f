import type { Module } from '../store/types';
import { claimImportRunUndo, findImportRun, finishImportRunUndo, type ImportRun } from '../store/import-run-repository';
import { deleteEventsOfImport, memberInstantsOfImport } from '../store/import-events-repository';
import { markModuleDataChanged } from '../store/module-repository';
import { TouchedDays, rebuildModuleRollups, recomputeMemberDays } from './daily-rollup';
import { UNDO_STALE_AFTER_MS, undoRefusalOf, type UndoRefusal } from './import-undo-eligibility';

// Takes back what one import run stored: its events, and with them the rollups of the member-days they were on.

export type UndoOutcome =
  | { kind: 'not-found' }
  | { kind: 'refused'; refusal: UndoRefusal; run: ImportRun }
  | { kind: 'undone'; run: ImportRun; eventsRemoved: number; memberDays: number; resumed: boolean };

export async function undoImportRun(module: Module, runId: string, by: { userId: string | null; name: string }, now: Date): Promise<UndoOutcome> {
  const run = await findImportRun(module.id, runId);
  if (!run) return { kind: 'not-found' };
  const refusal = undoRefusalOf(run, now);
  if (refusal) return { kind: 'refused', refusal, run };
  if (!(await claimImportRunUndo(module.id, run.id, by, now, UNDO_STALE_AFTER_MS))) {
    // Someone else claimed it between the read and the claim: answer as they left it.
    const current = (await findImportRun(module.id, run.id)) ?? run;
    return { kind: 'refused', refusal: undoRefusalOf(current, now) ?? 'undo-under-way', run: current };
  }

  // An earlier undo that stopped part-way may have deleted events without rebuilding their days; which days is
  // no longer known, so the module's rollups are rebuilt whole then.
  const resumed = run.undo !== null;
  const touched = new TouchedDays(module.timeZone);
  if (!resumed) for await (const e of memberInstantsOfImport(module.id, run.id)) touched.add(e.memberId, e.occurredAt);
  const eventsRemoved = await deleteEventsOfImport(module.id, run.id);
  if (resumed) await rebuildModuleRollups(module.id, module.timeZone);
  else await recomputeMemberDays(module.id, touched, module.timeZone);
  // The events are gone whatever the rollups show (a day may keep other events), so the stored analysis is old.
  if (eventsRemoved > 0 || resumed) await markModuleDataChanged(module.id);
  await finishImportRunUndo(run.id, { at: now, eventsRemoved });
  const memberDays = touched.entries().reduce((n, [, days]) => n + days.length, 0);
  return { kind: 'undone', run: (await findImportRun(module.id, run.id)) ?? run, eventsRemoved, memberDays, resumed };
}
