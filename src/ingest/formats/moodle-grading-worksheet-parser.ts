import { indexHeaders, normaliseHeader, raggedRowReason, readCsvRecords } from './csv-record-reader';
import { checkTimeZone, DEFAULT_TIME_ZONE, localToInstant, parseEnglishLongDateTime } from './local-date-time';
import { ParseSummaryBuilder, plural } from './parse-summary-builder';
import {
  FileFormatError,
  type AssignmentStatus,
  type AssignmentStatusRecord,
  type IngestInput,
  type ParseResult,
  type RowResult,
} from './parsed-records';
import { findSpecialCategoryColumns, findUnusedColumns } from './special-category-columns';
import { undoMoodleFormulaEscape } from './spreadsheet-safety';

export const MOODLE_GRADING_WORKSHEET_FORMAT = 'moodle-grading-worksheet';

type WorksheetField = 'identifier' | 'fullName' | 'email' | 'idNumber' | 'username' | 'status' | 'submissionModified';

export interface MoodleGradingWorksheetOptions {
  /** The assignment's name; otherwise taken from `filename` (`Grades-<course>-<assignment>-<cmid>.csv`). */
  assignmentName?: string;
  filename?: string;
  /** Helps split the filename when the course short name itself contains hyphens. */
  courseShortName?: string;
  /** Wall-clock dates in the file are in this zone. Default Europe/London. */
  timeZone?: string;
  /** Header names for a translated worksheet, e.g. `{ status: 'Estado' }`. */
  headerAliases?: Partial<Record<WorksheetField, string>>;
}

const HEADERS: Record<WorksheetField, readonly string[]> = {
  identifier: ['identifier'],
  fullName: ['full name'],
  email: ['email address', 'email'],
  idNumber: ['id number'],
  username: ['username'],
  status: ['status'],
  submissionModified: ['last modified (submission)'],
};
// Moodle's other worksheet columns: known, deliberately not read (grades and feedback are assessment, not engagement).
const KNOWN_UNREAD = [
  /^group$/, /^(allocated )?marker$/, /^grade$/, /^maximum grade$/, /^scale$/, /^marking workflow state$/,
  /^grade can be changed$/, /^online text/, /^last modified \(grade\)$/, /^feedback/, /^grader$/, /^institution$/, /^department$/,
];

export interface GradesFilenameParts {
  courseShortName: string;
  assignmentName: string;
  courseModuleId: string;
}

/**
 * `Grades-PSY1001-Research proposal-660.csv` -> its parts. Moodle joins the parts with `-` without escaping, so a
 * hyphen in the course short name is ambiguous: pass `courseShortName` when you know it; otherwise the first
 * hyphen ends it. Browser suffixes such as ` (1)` are ignored.
 */
export function parseGradesFilename(filename: string, courseShortName?: string): GradesFilenameParts | null {
  const base = filename.replace(/^.*[\\/]/, '').replace(/\s*\(\d+\)(?=\.[^.]+$)/, '');
  const match = /^Grades-(.+)-(\d+)\.csv$/i.exec(base);
  if (!match) return null;
  const [, middle = '', courseModuleId = ''] = match;
  if (courseShortName && middle.startsWith(`${courseShortName}-`)) {
    return { courseShortName, assignmentName: middle.slice(courseShortName.length + 1), courseModuleId };
  }
  const hyphen = middle.indexOf('-');
  if (hyphen <= 0 || hyphen === middle.length - 1) return null;
  return { courseShortName: middle.slice(0, hyphen), assignmentName: middle.slice(hyphen + 1), courseModuleId };
}

export function parseMoodleGradingWorksheet(input: IngestInput, options: MoodleGradingWorksheetOptions): ParseResult<AssignmentStatusRecord> {
  const timeZone = checkTimeZone(options.timeZone ?? DEFAULT_TIME_ZONE);
  const assignmentName =
    options.assignmentName?.trim() || (options.filename ? parseGradesFilename(options.filename, options.courseShortName)?.assignmentName : undefined);
  if (!assignmentName) {
    throw new FileFormatError(
      'missing-option',
      'Which assignment is this worksheet for? Give its name, or the original file name (Grades-<course>-<assignment>-<cmid>.csv).',
    );
  }
  const summary = new ParseSummaryBuilder(MOODLE_GRADING_WORKSHEET_FORMAT);
  const headers = { ...HEADERS };
  for (const [field, alias] of Object.entries(options.headerAliases ?? {}) as [WorksheetField, string][]) {
    headers[field] = [...HEADERS[field], normaliseHeader(alias)];
  }
  return { rows: readRows(input, assignmentName, timeZone, headers, summary), summary: () => summary.build() };
}

async function* readRows(
  input: IngestInput,
  assignmentName: string,
  timeZone: string,
  headers: Record<WorksheetField, readonly string[]>,
  summary: ParseSummaryBuilder,
): AsyncGenerator<RowResult<AssignmentStatusRecord>> {
  let columns: Record<WorksheetField, number> | null = null;
  let width = 0;
  let minimum = 0;
  let sawData = false;
  for await (const item of readCsvRecords(input).items) {
    if (item.kind === 'error') {
      yield summary.failWithoutRow(item.line, item.reason);
      continue;
    }
    if (columns === null) {
      columns = readHeader(item.fields, headers, summary);
      width = item.fields.length;
      minimum = Math.max(...Object.values(columns)) + 1;
      continue;
    }
    sawData = true;
    const fields = item.fields.map(undoMoodleFormulaEscape);
    const ragged = raggedRowReason(fields, width, minimum);
    if (ragged) {
      yield summary.fail(item.line, ragged);
      continue;
    }
    const cell = (field: WorksheetField): string => (columns![field] === -1 ? '' : (fields[columns![field]] ?? '').trim());
    const status = readStatus(cell('status'), timeZone);
    if (!status.ok) {
      yield summary.fail(item.line, status.reason);
      continue;
    }
    for (const part of status.value.unknownParts) {
      summary.count(`status-part:${part}`, (n) => `Status text not understood and ignored: '${part}' (${plural(n, 'row')}).`);
    }
    if (status.value.extensionUnreadable) {
      summary.count('extension-date', (n) => `${plural(n, 'extension date')} could not be read; extensionUntil left empty.`);
    }
    let submittedAt: Date | null = null;
    const modified = cell('submissionModified');
    if (status.value.submitted && modified && modified !== '-') {
      const local = parseEnglishLongDateTime(modified);
      submittedAt = local.ok ? localToInstant(local.value, timeZone) : null;
      if (!submittedAt) summary.count('submitted-date', (n) => `${plural(n, 'submission date')} could not be read; submittedAt left empty.`);
    }
    const participantId = /(\d+)\s*$/.exec(cell('identifier'))?.[1];
    const email = cell('email');
    const idNumber = cell('idNumber');
    const username = cell('username');
    const fullName = cell('fullName');
    if (!participantId && !email && !idNumber && !username && !fullName) {
      yield summary.fail(item.line, 'Row names nobody: Identifier, Full name and the identity columns are all empty.');
      continue;
    }
    yield summary.ok<AssignmentStatusRecord>(item.line, {
      assignmentName,
      person: {
        ...(fullName ? { fullName } : {}),
        ...(email && email !== '-' ? { email } : {}),
        ...(idNumber && idNumber !== '-' ? { idNumber } : {}),
        ...(username && username !== '-' ? { username } : {}),
      },
      submitted: status.value.submitted,
      submittedAt,
      late: status.value.late,
      extensionUntil: status.value.extensionUntil,
      status: status.value.status,
      ...(participantId ? { participantId } : {}),
    });
  }
  if (columns === null) summary.note('The file is empty.');
  else if (!sawData) summary.note('The file has a header but no rows.');
}

function readHeader(header: string[], headers: Record<WorksheetField, readonly string[]>, summary: ParseSummaryBuilder): Record<WorksheetField, number> {
  const columns = indexHeaders(header, headers);
  if (columns.status === -1 || (columns.identifier === -1 && columns.fullName === -1)) {
    throw new FileFormatError(
      'unrecognised-header',
      `This is not a Moodle grading worksheet in English: it needs the columns Identifier, Full name and Status (found ${header.map((h) => `"${h.trim()}"`).join(', ')}). For another language, give the header names.`,
    );
  }
  const recognised = new Set<number>(Object.values(columns).filter((index) => index !== -1));
  header.forEach((name, index) => {
    if (KNOWN_UNREAD.some((pattern) => pattern.test(normaliseHeader(name)))) recognised.add(index);
  });
  summary.drop(findSpecialCategoryColumns(header, recognised));
  const unused = findUnusedColumns(header, recognised);
  if (unused.length > 0) summary.note(`Columns not used: ${unused.join(', ')}.`);
  return columns;
}

interface WorksheetStatus {
  status: AssignmentStatus;
  submitted: boolean;
  late: boolean | null;
  extensionUntil: Date | null;
  extensionUnreadable: boolean;
  unknownParts: string[];
}

const SUBMISSION_STATES: [RegExp, AssignmentStatus][] = [
  [/^no submission$/i, 'no-submission'],
  [/^draft \(not submitted\)$/i, 'draft'],
  [/^submitted( for grading)?$/i, 'submitted'],
  [/^reopened$/i, 'reopened'],
];

/** `Submitted for grading - 3 days 2 hours late - Graded`; parts may also be split by a line break. */
function readStatus(text: string, timeZone: string): { ok: true; value: WorksheetStatus } | { ok: false; reason: string } {
  const parts = text.split(/\s+-\s+|\r?\n/).map((part) => part.trim()).filter(Boolean);
  const value: WorksheetStatus = { status: 'no-submission', submitted: false, late: null, extensionUntil: null, extensionUnreadable: false, unknownParts: [] };
  let stateFound = false;
  let overdueOrLate = false;
  for (const part of parts) {
    const state = SUBMISSION_STATES.find(([pattern]) => pattern.test(part));
    if (state) {
      value.status = state[1];
      stateFound = true;
    } else if (/\blate$/i.test(part) || /^assignment is overdue by:/i.test(part)) {
      overdueOrLate = true;
    } else if (/^extension granted until:/i.test(part)) {
      const local = parseEnglishLongDateTime(part.replace(/^extension granted until:\s*/i, ''));
      value.extensionUntil = local.ok ? localToInstant(local.value, timeZone) : null;
      value.extensionUnreadable = value.extensionUntil === null;
    } else if (!/^(graded|not graded)$/i.test(part)) {
      value.unknownParts.push(part);
    }
  }
  if (!stateFound) {
    return {
      ok: false,
      reason: `Status '${text.replace(/\s+/g, ' ')}' does not start with a Moodle submission status (No submission, Draft (not submitted), Submitted for grading, Reopened). Download the worksheet in English.`,
    };
  }
  // A reopened attempt is waiting for a new submission, so the current attempt is not submitted.
  value.submitted = value.status === 'submitted';
  value.late = overdueOrLate ? true : value.submitted ? false : null;
  return { ok: true, value };
}
