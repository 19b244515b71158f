import type { Module, Source } from '../store/types';
import { finishImportRun, startImportRun, KEPT_PROBLEMS_LIMIT, type ImportProblem, type ImportRun } from '../store/import-run-repository';
import { importActivityFile, ACTIVITY_FORMATS, type ActivityFormat, type ImportReport } from './activity-file-import';
import { importAssignmentFile, ASSIGNMENT_FORMATS, type AssignmentFormat } from './assignment-file-import';
import { FileFormatError, type DayMonthOrder, type IngestInput } from './formats/parsed-records';

// One import, whichever way it arrives (upload page or command line): recorded as an ImportRun from start to end.

export const IMPORT_FORMATS = [...ACTIVITY_FORMATS, ...ASSIGNMENT_FORMATS] as const;
export type ImportFormat = ActivityFormat | AssignmentFormat;

export const SOURCE_OF_FORMAT: Record<ImportFormat, Source> = {
  'moodle-course-log': 'vle',
  'moodle-logstore': 'vle',
  'teams-attendance': 'meeting',
  echo360: 'recording',
  'moodle-grading-worksheet': 'assignment',
  'moodle-gradebook': 'assignment',
};

export function isImportFormat(value: string): value is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(value);
}

const isAssignmentFormat = (f: ImportFormat): f is AssignmentFormat => (ASSIGNMENT_FORMATS as readonly string[]).includes(f);

export interface FileImportRequest {
  format: ImportFormat;
  filename: string;
  dayMonthOrder?: DayMonthOrder;
  /** Grading worksheet: the assignment's name when the file name does not carry it. */
  assignmentName?: string;
  /** Grading worksheet: its due date, which the file does not carry. */
  dueAt?: Date | null;
  by: { userId: string | null; name: string };
  via: ImportRun['via'];
  now(): Date;
  batchSize?: number;
  onProgress?: (rowsRead: number) => void;
}

export type FileImportOutcome = { ok: true; runId: string; report: ImportReport } | { ok: false; runId: string; error: string };

/** Unmatched people and bad rows together, in file order, as far as the run keeps them. */
function problemsOf(report: ImportReport): ImportProblem[] {
  const problems: ImportProblem[] = [
    ...report.failed.map((f) => ({ line: f.line, kind: 'failed' as const, text: f.reason })),
    ...report.unmatched.map((u) => ({ line: u.line, kind: 'unmatched' as const, text: `No member of this module matches ${u.person}.` })),
  ];
  return problems.sort((a, b) => a.line - b.line).slice(0, KEPT_PROBLEMS_LIMIT);
}

/**
 * Imports a file into the module and records the run. A file the chosen format cannot read (wrong header, no
 * assignment name) ends as a failed run with a message for people; any other failure is recorded and rethrown.
 */
export async function runFileImport(module: Module, input: IngestInput, r: FileImportRequest): Promise<FileImportOutcome> {
  const run = await startImportRun({ moduleId: module.id, format: r.format, source: SOURCE_OF_FORMAT[r.format], filename: r.filename, byUserId: r.by.userId, byName: r.by.name, via: r.via, at: r.now() });
  try {
    const report = isAssignmentFormat(r.format)
      ? await importAssignmentFile(module, input, { format: r.format, filename: r.filename, assignmentName: r.assignmentName, dueAt: r.dueAt, importId: run.id, onProgress: r.onProgress })
      : await importActivityFile(module, input, { format: r.format, filename: r.filename, dayMonthOrder: r.dayMonthOrder, importId: run.id, onProgress: r.onProgress, batchSize: r.batchSize });
    await finishImportRun(run.id, {
      at: r.now(),
      counts: { rows: report.rows, imported: report.imported, alreadyStored: report.alreadyStored, skipped: report.skipped, unmatched: report.unmatchedCount, failed: report.failedCount },
      problems: problemsOf(report),
      notes: report.notes,
      droppedColumns: report.droppedColumns,
      error: null,
      // Only Echo360 raises totals; other formats raise none, so their undo is never held back by it.
      raisedTotals: report.raisedTotals ?? 0,
    });
    return { ok: true, runId: run.id, report };
  } catch (err) {
    const readable = err instanceof FileFormatError;
    const error = readable ? err.message : `The import stopped: ${(err as Error).message}. Rows stored before it stopped are kept; importing the same file again completes it without duplicates.`;
    await finishImportRun(run.id, { at: r.now(), counts: { rows: 0, imported: 0, alreadyStored: 0, skipped: 0, unmatched: 0, failed: 0 }, problems: [], notes: [], droppedColumns: [], error }).catch(() => undefined);
    if (readable) return { ok: false, runId: run.id, error };
    throw err;
  }
}
