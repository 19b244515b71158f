import type { Module } from '../store/types';
import { listMembers } from '../store/member-repository';
import type { NewEngagementEvent } from '../store/event-repository';
import { MemberMatcher, describePerson } from './member-matcher';
import { storeEventsWithRollups } from './daily-rollup';
import type { ActivityRecord, IngestInput, ParseResult, ParseSummary, DayMonthOrder } from './formats/parsed-records';
import { parseMoodleCourseLog } from './formats/moodle-course-log-parser';
import { parseMoodleLogstore } from './formats/moodle-logstore-parser';
import { parseTeamsAttendance } from './formats/teams-attendance-parser';
import { parseEcho360 } from './formats/echo360-parser';

export const ACTIVITY_FORMATS = ['moodle-course-log', 'moodle-logstore', 'teams-attendance', 'echo360'] as const;
export type ActivityFormat = (typeof ACTIVITY_FORMATS)[number];

export interface ActivityImportOptions {
  format: ActivityFormat;
  filename?: string;
  dayMonthOrder?: DayMonthOrder;
  importId: string;
  onProgress?: (rowsRead: number) => void;
  /** Events written per round trip; each batch also recomputes the member-days it touched. */
  batchSize?: number;
}

export interface ImportReport {
  format: string;
  rows: number;
  imported: number;
  alreadyStored: number;
  failedCount: number;
  unmatchedCount: number;
  /** The first few hundred, with line numbers, for the uploader to fix. */
  failed: Array<{ line: number; reason: string }>;
  unmatched: Array<{ line: number; person: string }>;
  skipped: number;
  droppedColumns: string[];
  notes: string[];
  /** Events stored by earlier imports whose totals this one raised (Echo360); an undo could not give them back. */
  raisedTotals?: number;
}

export const DEFAULT_BATCH_SIZE = 5000;
const LISTED_PROBLEMS_LIMIT = 500;

function parserFor(o: ActivityImportOptions, timeZone: string, input: IngestInput): ParseResult<ActivityRecord> {
  switch (o.format) {
    case 'moodle-course-log':
      return parseMoodleCourseLog(input, { timeZone, dayMonthOrder: o.dayMonthOrder });
    case 'moodle-logstore':
      return parseMoodleLogstore(input, {});
    case 'teams-attendance':
      return parseTeamsAttendance(input, { timeZone, filename: o.filename, dayMonthOrder: o.dayMonthOrder });
    case 'echo360':
      return parseEcho360(input, { timeZone, dayMonthOrder: o.dayMonthOrder });
  }
}

/**
 * Streams an activity export into engagement events. Rows are matched to the roster, stored once per
 * (module, source, sourceId), and the touched member-days are recomputed after each batch, so a crash
 * half-way leaves nothing that a rerun does not complete. A batch is written while the next one is parsed
 * (never two writes at once), so the database and the parser work side by side.
 */
export async function importActivityFile(module: Module, input: IngestInput, o: ActivityImportOptions): Promise<ImportReport> {
  const matcher = new MemberMatcher(await listMembers(module.id));
  const parsed = parserFor(o, module.timeZone, input);
  const report: ImportReport = { format: o.format, rows: 0, imported: 0, alreadyStored: 0, failedCount: 0, unmatchedCount: 0, failed: [], unmatched: [], skipped: 0, droppedColumns: [], notes: [] };
  const batchSize = Math.max(1, o.batchSize ?? DEFAULT_BATCH_SIZE);
  let batch: NewEngagementEvent[] = [];
  let writing: Promise<void> = Promise.resolve();
  let writeFailure: unknown = null;
  let raised = 0;

  const writeBatch = async (events: NewEngagementEvent[]) => {
    // Rollups of every day the batch touched are rewritten, new events or not: a rerun after a crash repairs them too.
    // Echo360 counts are totals so far: a later export of the same viewer, recording and day raises them.
    const stored = await storeEventsWithRollups(module.id, module.timeZone, events, { runningTotals: o.format === 'echo360' });
    report.imported += stored.inserted + (stored.raised ?? 0);
    report.alreadyStored += stored.alreadyStored;
    raised += stored.raised ?? 0;
  };
  const flush = async () => {
    await writing;
    if (writeFailure) throw writeFailure;
    if (batch.length === 0) return;
    // Caught here and rethrown at the next flush, so a failed write never becomes an unhandled rejection.
    writing = writeBatch(batch).catch((err: unknown) => {
      writeFailure = err;
    });
    batch = [];
  };

  try {
    for await (const row of parsed.rows) {
      report.rows++;
      if (report.rows % 10_000 === 0) o.onProgress?.(report.rows);
      if (!row.ok) {
        report.failedCount++;
        if (report.failed.length < LISTED_PROBLEMS_LIMIT) report.failed.push({ line: row.line, reason: row.reason });
        continue;
      }
      const match = matcher.match(row.value.person);
      if (!match) {
        report.unmatchedCount++;
        if (report.unmatched.length < LISTED_PROBLEMS_LIMIT) report.unmatched.push({ line: row.line, person: describePerson(row.value.person) });
        continue;
      }
      const r = row.value;
      batch.push({
        moduleId: module.id,
        memberId: match.member.id,
        source: r.source,
        sourceId: r.sourceId,
        occurredAt: r.occurredAt,
        count: r.count,
        minutes: r.minutes,
        detail: r.detail,
        importId: o.importId,
      });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    await writing;
  }
  if (writeFailure) throw writeFailure;
  const summary: ParseSummary = parsed.summary();
  report.skipped = summary.skipped;
  report.droppedColumns = summary.droppedColumns;
  report.raisedTotals = raised;
  report.notes = raised > 0 ? [...summary.notes, `${raised} stored ${raised === 1 ? 'total was' : 'totals were'} raised to this export's higher counts (counted as new).`] : summary.notes;
  o.onProgress?.(report.rows);
  return report;
}
