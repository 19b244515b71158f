import { Types, trusted } from 'mongoose';
import { queuedWrite } from './document-write-queue';
import { ImportRunModel } from './models/import-run-model';
import type { Source } from './types';

export interface ImportProblem {
  line: number;
  kind: 'unmatched' | 'failed';
  text: string;
}

export interface ImportCounts {
  rows: number;
  imported: number;
  alreadyStored: number;
  skipped: number;
  unmatched: number;
  failed: number;
}

export interface ImportRunUndo {
  byUserId: string | null;
  byName: string;
  at: Date;
  /** Null while the undo is under way (or was interrupted). */
  finishedAt: Date | null;
  eventsRemoved: number;
}

export interface ImportRun {
  id: string;
  moduleId: string;
  format: string;
  source: Source | null;
  filename: string;
  byUserId: string | null;
  byName: string;
  via: 'upload' | 'cli';
  status: 'running' | 'done' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  counts: ImportCounts;
  problems: ImportProblem[];
  notes: string[];
  droppedColumns: string[];
  error: string | null;
  /** Echo360 totals of earlier runs this run raised; null when the run did not record it. */
  raisedTotals: number | null;
  undo: ImportRunUndo | null;
}

/** A run still "running" after this long was stopped part-way (a killed process cannot record its end). */
export const INTERRUPTED_AFTER_MS = 6 * 3_600_000;

export function isInterruptedRun(run: ImportRun, now: Date): boolean {
  return run.status === 'running' && now.getTime() - run.startedAt.getTime() > INTERRUPTED_AFTER_MS;
}

/** The first problems are kept for the uploader to fix; the counts say how many there were in all. */
export const KEPT_PROBLEMS_LIMIT = 500;

const NO_COUNTS: ImportCounts = { rows: 0, imported: 0, alreadyStored: 0, skipped: 0, unmatched: 0, failed: 0 };

function toRun(d: Record<string, unknown>): ImportRun {
  return {
    id: String(d._id),
    moduleId: String(d.moduleId),
    format: String(d.format),
    source: (d.source as Source | null) ?? null,
    filename: String(d.filename ?? ''),
    byUserId: (d.byUserId as string | null) ?? null,
    byName: String(d.byName ?? ''),
    via: d.via as ImportRun['via'],
    status: d.status as ImportRun['status'],
    startedAt: d.startedAt as Date,
    finishedAt: (d.finishedAt as Date | null) ?? null,
    counts: { ...NO_COUNTS, ...((d.counts as Partial<ImportCounts>) ?? {}) },
    problems: ((d.problems as ImportProblem[]) ?? []).map((p) => ({ line: p.line, kind: p.kind, text: p.text })),
    notes: (d.notes as string[]) ?? [],
    droppedColumns: (d.droppedColumns as string[]) ?? [],
    error: (d.error as string | null) ?? null,
    raisedTotals: typeof d.raisedTotals === 'number' ? d.raisedTotals : null,
    undo: toUndo(d.undo as Record<string, unknown> | null | undefined),
  };
}

function toUndo(u: Record<string, unknown> | null | undefined): ImportRunUndo | null {
  if (!u) return null;
  return {
    byUserId: (u.byUserId as string | null) ?? null,
    byName: String(u.byName ?? ''),
    at: u.at as Date,
    finishedAt: (u.finishedAt as Date | null) ?? null,
    eventsRemoved: Number(u.eventsRemoved ?? 0),
  };
}

export async function startImportRun(r: { moduleId: string; format: string; source: Source | null; filename: string; byUserId: string | null; byName: string; via: ImportRun['via']; at: Date }): Promise<ImportRun> {
  const doc = await ImportRunModel.create({
    moduleId: new Types.ObjectId(r.moduleId),
    format: r.format,
    source: r.source,
    filename: r.filename,
    byUserId: r.byUserId,
    byName: r.byName,
    via: r.via,
    status: 'running',
    startedAt: r.at,
  });
  return toRun(doc.toObject() as Record<string, unknown>);
}

export async function finishImportRun(
  id: string,
  outcome: { at: Date; counts: ImportCounts; problems: ImportProblem[]; notes: string[]; droppedColumns: string[]; error: string | null; raisedTotals?: number | null },
): Promise<void> {
  await ImportRunModel.updateOne(
    { _id: new Types.ObjectId(id) },
    {
      $set: {
        status: outcome.error ? 'failed' : 'done',
        finishedAt: outcome.at,
        counts: outcome.counts,
        problems: outcome.problems.slice(0, KEPT_PROBLEMS_LIMIT),
        notes: outcome.notes,
        droppedColumns: outcome.droppedColumns,
        error: outcome.error,
        raisedTotals: outcome.raisedTotals ?? null,
      },
    },
  );
}

/**
 * Claims the undo of a run for one person (whether the run may be undone is decided before). Only one claim succeeds, so two clicks never undo twice; a
 * claim left unfinished longer than `staleAfterMs` (the undo was interrupted) may be claimed again to complete it.
 */
export async function claimImportRunUndo(moduleId: string, id: string, by: { userId: string | null; name: string }, at: Date, staleAfterMs: number): Promise<boolean> {
  if (!Types.ObjectId.isValid(id)) return false;
  // Queued per run: FerretDB v1 checks the filter on a read before its write, so two claims at once could both pass.
  const res = await queuedWrite(`import-run:${id}`, () =>
    ImportRunModel.updateOne(
      {
        _id: new Types.ObjectId(id),
        moduleId: new Types.ObjectId(moduleId),
        // trusted(): operators built here, which the global sanitizeFilter would otherwise turn into $eq.
        $or: [{ undo: null }, { 'undo.finishedAt': null, 'undo.at': trusted({ $lt: new Date(at.getTime() - staleAfterMs) }) }],
      },
      { $set: { undo: { byUserId: by.userId, byName: by.name, at, finishedAt: null, eventsRemoved: 0 } } },
    ),
  );
  return res.modifiedCount === 1;
}

export async function finishImportRunUndo(id: string, outcome: { at: Date; eventsRemoved: number }): Promise<void> {
  await ImportRunModel.updateOne({ _id: new Types.ObjectId(id) }, { $set: { 'undo.finishedAt': outcome.at, 'undo.eventsRemoved': outcome.eventsRemoved } });
}

export async function findImportRun(moduleId: string, id: string): Promise<ImportRun | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const doc = await ImportRunModel.findOne({ _id: new Types.ObjectId(id), moduleId: new Types.ObjectId(moduleId) }).lean();
  return doc ? toRun(doc as Record<string, unknown>) : null;
}

/** The module's latest imports, newest first, without their problem lists. */
export async function listRecentImportRuns(moduleId: string, limit = 20): Promise<ImportRun[]> {
  const docs = await ImportRunModel.find({ moduleId: new Types.ObjectId(moduleId) }, { problems: 0 }).sort({ startedAt: -1 }).limit(limit).lean();
  return docs.map((d) => toRun(d as Record<string, unknown>));
}

/** When each source last had a successful import: for the data freshness lines. */
export async function lastImportBySource(moduleId: string): Promise<Partial<Record<Source, Date>>> {
  const result: Partial<Record<Source, Date>> = {};
  for (const run of await listRecentImportRuns(moduleId, 200)) {
    if (run.status !== 'done' || !run.source || !run.finishedAt) continue;
    if (!result[run.source] || result[run.source]!.getTime() < run.finishedAt.getTime()) result[run.source] = run.finishedAt;
  }
  return result;
}
