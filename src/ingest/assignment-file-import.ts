import type { Module } from '../store/types';
import { listMembers } from '../store/member-repository';
import { markModuleDataChanged } from '../store/module-repository';
import { listSubmissions, mergeSubmission, sameSubmissionState, upsertAssignment, upsertSubmissions, type StoredAssignment, type StoredSubmission } from '../store/assignment-repository';
import type { NewEngagementEvent } from '../store/event-repository';
import { MemberMatcher, describePerson } from './member-matcher';
import { storeEventsWithRollups } from './daily-rollup';
import type { ImportReport } from './activity-file-import';
import type { AssignmentStatusRecord, IngestInput, ParseResult } from './formats/parsed-records';
import { parseMoodleGradingWorksheet } from './formats/moodle-grading-worksheet-parser';
import { parseMoodleGradebook } from './formats/moodle-gradebook-parser';

// Native Moodle assignments: AGS lists only the tool's own line items, so their expected/submitted state comes from files.

export const ASSIGNMENT_FORMATS = ['moodle-grading-worksheet', 'moodle-gradebook'] as const;
export type AssignmentFormat = (typeof ASSIGNMENT_FORMATS)[number];

export interface AssignmentImportOptions {
  format: AssignmentFormat;
  /** The worksheet's original name (`Grades-<course>-<assignment>-<cmid>.csv`) names its assignment. */
  filename?: string;
  /** Overrides the name taken from the filename (worksheet only). */
  assignmentName?: string;
  /** The worksheet's due date, which the file does not carry; a due date staff entered earlier is kept. */
  dueAt?: Date | null;
  importId: string;
  onProgress?: (rowsRead: number) => void;
}

export interface AssignmentImportReport extends ImportReport {
  /** Assignments the file named, with their due dates, so the uploader can fill in missing ones. */
  assignments: Array<Pick<StoredAssignment, 'id' | 'title' | 'dueAt'>>;
}

const LISTED_PROBLEMS_LIMIT = 500;
// The gradebook lists every graded activity; only assignments are "expected and submitted" work.
const ASSIGNMENT_ITEM_TYPE = /assign/i;

/** The key that makes the worksheet and the gradebook export of one assignment the same assignment. */
export function fileAssignmentKey(title: string): string {
  return `file:${title.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()}`;
}

function parserFor(o: AssignmentImportOptions, module: Module, input: IngestInput): ParseResult<AssignmentStatusRecord> {
  switch (o.format) {
    case 'moodle-grading-worksheet': {
      // The launch's context label is Moodle's course short name, which may itself hold hyphens.
      const courseShortName = module.label.trim() || undefined;
      return parseMoodleGradingWorksheet(input, { assignmentName: o.assignmentName, filename: o.filename, courseShortName, timeZone: module.timeZone });
    }
    case 'moodle-gradebook':
      return parseMoodleGradebook(input);
  }
}

function lateness(record: AssignmentStatusRecord, dueAt: Date | null): boolean | null {
  if (record.late !== null) return record.late;
  if (!record.submitted || !record.submittedAt || !dueAt) return null;
  return record.submittedAt.getTime() > dueAt.getTime();
}

/** Whether `incoming` leaves the stored submission as it is, once what it does not know is taken from the store. */
function changesNothing(before: StoredSubmission, incoming: StoredSubmission): boolean {
  return sameSubmissionState(before, mergeSubmission(before, incoming));
}

/**
 * Imports a grading worksheet or gradebook export: each assignment once (key `file:<title>`), each person's
 * submission state, and an `assignment` event for each submission with a time. Grades are never read or stored.
 */
export async function importAssignmentFile(module: Module, input: IngestInput, o: AssignmentImportOptions): Promise<AssignmentImportReport> {
  const matcher = new MemberMatcher(await listMembers(module.id));
  const parsed = parserFor(o, module, input);
  const report: AssignmentImportReport = {
    format: o.format, rows: 0, imported: 0, alreadyStored: 0, failedCount: 0, unmatchedCount: 0, failed: [], unmatched: [], skipped: 0, droppedColumns: [], notes: [], assignments: [],
  };
  const stored = new Map((await listSubmissions(module.id)).map((s) => [`${s.assignmentId}|${s.memberId}`, s]));
  const assignments = new Map<string, StoredAssignment>();
  const otherItems = new Map<string, number>();
  const events: NewEngagementEvent[] = [];
  const changedSubmissions: StoredSubmission[] = [];
  const unmatchedLines = new Set<number>();
  // A gradebook export spans many assignments, so one due date cannot apply to all of them.
  const worksheetDueAt = o.format === 'moodle-grading-worksheet' ? (o.dueAt ?? null) : null;

  for await (const row of parsed.rows) {
    report.rows++;
    if (report.rows % 1000 === 0) o.onProgress?.(report.rows);
    if (!row.ok) {
      report.failedCount++;
      if (report.failed.length < LISTED_PROBLEMS_LIMIT) report.failed.push({ line: row.line, reason: row.reason });
      continue;
    }
    const record = row.value;
    if (record.activityType !== undefined && !ASSIGNMENT_ITEM_TYPE.test(record.activityType)) {
      report.skipped++;
      otherItems.set(record.activityType, (otherItems.get(record.activityType) ?? 0) + 1);
      continue;
    }
    const match = matcher.match(record.person);
    if (!match) {
      // A gradebook row yields one record per item: the person is listed once per line.
      if (!unmatchedLines.has(row.line)) {
        unmatchedLines.add(row.line);
        report.unmatchedCount++;
        if (report.unmatched.length < LISTED_PROBLEMS_LIMIT) report.unmatched.push({ line: row.line, person: describePerson(record.person) });
      }
      continue;
    }
    const key = fileAssignmentKey(record.assignmentName);
    let assignment = assignments.get(key);
    if (!assignment) {
      assignment = await upsertAssignment({ moduleId: module.id, key, title: record.assignmentName.trim(), dueAt: worksheetDueAt, origin: 'file' });
      assignments.set(key, assignment);
    }
    const submission: StoredSubmission = {
      assignmentId: assignment.id,
      memberId: match.member.id,
      submitted: record.submitted,
      submittedAt: record.submittedAt,
      late: lateness(record, assignment.dueAt),
      status: record.status,
      origin: 'file',
    };
    const before = stored.get(`${assignment.id}|${match.member.id}`);
    // A submission is never undone by a file that knows less (the store keeps "submitted" once seen).
    if (before && (changesNothing(before, submission) || (before.submitted && !submission.submitted))) report.alreadyStored++;
    else {
      changedSubmissions.push(submission);
      report.imported++;
    }
    if (record.submitted && record.submittedAt) {
      events.push({
        moduleId: module.id,
        memberId: match.member.id,
        source: 'assignment',
        // The time is part of the id: a later resubmission is a new piece of engagement.
        sourceId: `${key}:${match.member.userId}:${record.submittedAt.toISOString()}`,
        occurredAt: record.submittedAt,
        count: 1,
        minutes: 0,
        detail: { assignmentKey: key, title: assignment.title },
        importId: o.importId,
      });
    }
  }
  await upsertSubmissions(module.id, changedSubmissions);
  await storeEventsWithRollups(module.id, module.timeZone, events);
  // Due dates and submissions may have changed without a new event.
  await markModuleDataChanged(module.id);

  const summary = parsed.summary();
  report.skipped += summary.skipped;
  report.droppedColumns = summary.droppedColumns;
  report.notes = [...summary.notes];
  if (otherItems.size > 0) {
    const list = [...otherItems.entries()].map(([type, n]) => `${type} (${n})`).join(', ');
    report.notes.push(`Grade items that are not assignments were left out: ${list}.`);
  }
  report.assignments = [...assignments.values()].map((a) => ({ id: a.id, title: a.title, dueAt: a.dueAt }));
  o.onProgress?.(report.rows);
  return report;
}
