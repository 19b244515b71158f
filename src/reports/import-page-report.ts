import type { Module } from '../store/types';
import { listRecentImportRuns, lastImportBySource, isInterruptedRun, type ImportRun } from '../store/import-run-repository';
import { latestDayBySource } from '../store/daily-activity-repository';
import { listAssignments } from '../store/assignment-repository';
import { SOURCES, type DayKey, type Source } from '../engagement';
import { dataFreshness, type FreshnessLine } from './data-freshness';
import { instantFormatter } from './display-format';
import { undoRefusalOf, undoRefusalText } from '../ingest/import-undo-eligibility';

// What the staff import pages show: the formats, recent imports, data freshness, and assignments still lacking a due date.

export const FORMAT_CHOICES: ReadonlyArray<{ value: string; label: string; hint: string }> = [
  { value: 'moodle-course-log', label: 'Moodle course log', hint: 'Course › Reports › Logs › Download (CSV).' },
  { value: 'moodle-logstore', label: 'Moodle logstore export', hint: 'A database export of logstore_standard_log (CSV).' },
  { value: 'teams-attendance', label: 'Microsoft Teams attendance report', hint: 'Downloaded from the meeting’s Attendance tab, as it comes.' },
  { value: 'echo360', label: 'Echo360 student analytics', hint: 'The per-student analytics export (CSV).' },
  { value: 'moodle-grading-worksheet', label: 'Moodle assignment grading worksheet', hint: 'Assignment › Download grading worksheet; keep its file name, or give the assignment’s name.' },
  { value: 'moodle-gradebook', label: 'Moodle gradebook export', hint: 'Grades › Export › Plain text file; assignments only are read.' },
];

const FORMAT_LABEL = new Map(FORMAT_CHOICES.map((f) => [f.value, f.label]));
const STATUS_LABEL: Record<ImportRun['status'], string> = { running: 'Running', done: 'Done', failed: 'Failed' };

export interface ImportRunRow {
  id: string;
  when: string;
  format: string;
  filename: string;
  by: string;
  status: string;
  failed: boolean;
  imported: number;
  alreadyStored: number;
  skipped: number;
  unmatched: number;
  badRows: number;
  /** "Undone by NAME on DATE" once an undo has finished. */
  undone: string | null;
}

export interface UndatedAssignment {
  id: string;
  title: string;
}

export interface ImportPageView {
  formats: typeof FORMAT_CHOICES;
  maxUploadMb: number;
  recent: ImportRunRow[];
  freshness: FreshnessLine[];
  undatedAssignments: UndatedAssignment[];
}

export interface ImportRunView {
  run: ImportRunRow;
  error: string | null;
  rows: number;
  isAssignmentImport: boolean;
  problems: Array<{ line: number; what: string; text: string }>;
  problemsShown: number;
  problemsTotal: number;
  notes: string[];
  droppedColumns: string[];
  undatedAssignments: UndatedAssignment[];
  /** The undo form is shown when this is true; otherwise `undoRefusal` says why not (unless already undone). */
  canUndo: boolean;
  undoRefusal: string | null;
  eventsRemoved: number;
}

function presentRun(run: ImportRun, format: (d: Date) => string, now: Date): ImportRunRow {
  const interrupted = isInterruptedRun(run, now);
  return {
    id: run.id,
    when: format(run.finishedAt ?? run.startedAt),
    format: FORMAT_LABEL.get(run.format) ?? run.format,
    filename: run.filename || '—',
    by: run.byName || (run.via === 'cli' ? 'command line' : '—'),
    status: interrupted ? 'Stopped part-way: import the file again to complete it' : STATUS_LABEL[run.status],
    failed: run.status === 'failed' || interrupted,
    imported: run.counts.imported,
    alreadyStored: run.counts.alreadyStored,
    skipped: run.counts.skipped,
    unmatched: run.counts.unmatched,
    badRows: run.counts.failed,
    undone: run.undo?.finishedAt ? `Undone by ${run.undo.byName || 'someone'} on ${format(run.undo.finishedAt)}` : null,
  };
}

async function undatedFileAssignments(moduleId: string): Promise<UndatedAssignment[]> {
  return (await listAssignments(moduleId)).filter((a) => a.origin === 'file' && !a.dueAt).map((a) => ({ id: a.id, title: a.title }));
}

export async function buildImportPage(module: Module, maxUploadBytes: number, now: Date): Promise<ImportPageView> {
  const format = instantFormatter(module.timeZone);
  const latest = await latestDayBySource(module.id);
  const lastActivity = Object.fromEntries(SOURCES.map((s) => [s, latest[s] ?? null])) as Record<Source, DayKey | null>;
  return {
    formats: FORMAT_CHOICES,
    maxUploadMb: Math.floor(maxUploadBytes / 1_048_576),
    recent: (await listRecentImportRuns(module.id, 15)).map((r) => presentRun(r, format, now)),
    freshness: dataFreshness(module, lastActivity, format, await lastImportBySource(module.id)),
    undatedAssignments: await undatedFileAssignments(module.id),
  };
}

export async function buildImportRunView(module: Module, run: ImportRun, now: Date): Promise<ImportRunView> {
  const isAssignmentImport = run.source === 'assignment';
  const format = instantFormatter(module.timeZone);
  const refusal = undoRefusalOf(run, now);
  return {
    run: presentRun(run, format, now),
    error: run.error,
    rows: run.counts.rows,
    isAssignmentImport,
    problems: run.problems.map((p) => ({ line: p.line, what: p.kind === 'unmatched' ? 'Person not found' : 'Row not read', text: p.text })),
    problemsShown: run.problems.length,
    problemsTotal: run.counts.unmatched + run.counts.failed,
    notes: run.notes,
    droppedColumns: run.droppedColumns,
    undatedAssignments: isAssignmentImport ? await undatedFileAssignments(module.id) : [],
    canUndo: refusal === null,
    // Once undone, the "Undone by" line says it all.
    undoRefusal: refusal && refusal !== 'already-undone' ? undoRefusalText(refusal, run, format) : null,
    eventsRemoved: run.undo?.eventsRemoved ?? 0,
  };
}
