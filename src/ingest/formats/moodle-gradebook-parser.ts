import { indexHeaders, normaliseHeader, raggedRowReason, readCsvRecords } from './csv-record-reader';
import { ParseSummaryBuilder, plural } from './parse-summary-builder';
import { FileFormatError, type AssignmentStatusRecord, type IngestInput, type ParseResult, type RowResult } from './parsed-records';
import { findSpecialCategoryColumns, findUnusedColumns } from './special-category-columns';
import { undoMoodleFormulaEscape } from './spreadsheet-safety';
import type { Delimiter } from './text-decoding';

export const MOODLE_GRADEBOOK_FORMAT = 'moodle-gradebook';

export interface MoodleGradebookOptions {
  /** Omit to sniff comma, tab, semicolon or colon from the header line. */
  delimiter?: Delimiter;
}

const IDENTITY_HEADERS = {
  firstName: ['first name'],
  lastName: ['last name', 'surname'],
  idNumber: ['id number'],
  email: ['email address', 'email'],
  username: ['username'],
  suspended: ['suspended', 'suspended user'],
} as const;
type IdentityField = keyof typeof IDENTITY_HEADERS;

// `<Module>: <item> (Real|Percentage|Letter)`; the same item may appear once per display type.
const GRADE_ITEM = /^(.+?):\s+(.+?)\s+\((real|percentage|letter)\)$/i;
const FEEDBACK_ITEM = /^(.+?):\s+(.+?)\s+\(feedback\)$/i;
const TOTAL = /^(course total|.+ total)\s+\((real|percentage|letter)\)$/i;
const KNOWN_UNREAD = [/^institution$/, /^department$/, /^last downloaded from this course$/, /^phone/, /^address$/, /^city/, /^country$/];
const SUSPENDED_VALUES = new Set(['yes', 'y', '1', 'true', 'suspended']);
const NO_GRADE = new Set(['', '-']);

interface GradeItem {
  activityType: string;
  name: string;
  columns: number[];
}

export function parseMoodleGradebook(input: IngestInput, options: MoodleGradebookOptions = {}): ParseResult<AssignmentStatusRecord> {
  const summary = new ParseSummaryBuilder(MOODLE_GRADEBOOK_FORMAT);
  return { rows: readRows(input, options, summary), summary: () => summary.build() };
}

async function* readRows(input: IngestInput, options: MoodleGradebookOptions, summary: ParseSummaryBuilder): AsyncGenerator<RowResult<AssignmentStatusRecord>> {
  let layout: { identity: Record<IdentityField, number>; items: GradeItem[]; width: number; minimum: number } | null = null;
  let sawData = false;
  const source = readCsvRecords(input, options.delimiter ? { delimiter: options.delimiter } : {});
  for await (const item of source.items) {
    if (item.kind === 'error') {
      yield summary.failWithoutRow(item.line, item.reason);
      continue;
    }
    if (layout === null) {
      layout = readHeader(item.fields, summary);
      if (source.delimiter && source.delimiter !== ',') summary.note(`Separator: ${describeDelimiter(source.delimiter)}.`);
      continue;
    }
    sawData = true;
    const fields = item.fields.map(undoMoodleFormulaEscape);
    const ragged = raggedRowReason(fields, layout.width, layout.minimum);
    if (ragged) {
      yield summary.fail(item.line, ragged);
      continue;
    }
    const identity = layout.identity;
    const cell = (index: number): string => (index === -1 ? '' : (fields[index] ?? '').trim());
    if (SUSPENDED_VALUES.has(cell(identity.suspended).toLowerCase())) {
      summary.skip('suspended', (n) => `${plural(n, 'row')} skipped: suspended enrolments, who are not taking part in the module.`);
      continue;
    }
    const fullName = [cell(identity.firstName), cell(identity.lastName)].filter(Boolean).join(' ');
    const email = cell(identity.email);
    const idNumber = cell(identity.idNumber);
    const username = cell(identity.username);
    if (!fullName && !email && !idNumber && !username) {
      yield summary.fail(item.line, 'Row names nobody: the name, ID number and email address cells are empty.');
      continue;
    }
    const person = {
      ...(fullName ? { fullName } : {}),
      ...(email ? { email } : {}),
      ...(idNumber ? { idNumber } : {}),
      ...(username ? { username } : {}),
    };
    for (const gradeItem of layout.items) {
      // A grade is the only sign of a submission this export carries; the grade itself is not kept.
      const graded = gradeItem.columns.some((index) => !NO_GRADE.has(cell(index)));
      yield summary.ok<AssignmentStatusRecord>(item.line, {
        assignmentName: gradeItem.name,
        activityType: gradeItem.activityType,
        person,
        submitted: graded,
        submittedAt: null,
        late: null,
        extensionUntil: null,
        status: graded ? 'graded' : 'not-graded',
      });
    }
  }
  if (layout === null) summary.note('The file is empty.');
  else if (!sawData) summary.note('The file has a header but no rows.');
}

function readHeader(header: string[], summary: ParseSummaryBuilder) {
  const identity = indexHeaders(header, IDENTITY_HEADERS);
  if (identity.firstName === -1 && identity.email === -1 && identity.idNumber === -1) {
    throw new FileFormatError(
      'unrecognised-header',
      `This is not a Moodle gradebook export in English: it needs First name, Last name, ID number or Email address, then "<Activity>: <item> (Real)" columns (found ${header
        .slice(0, 6)
        .map((h) => `"${h.trim()}"`)
        .join(', ')}…).`,
    );
  }
  const recognised = new Set<number>(Object.values(identity).filter((index) => index !== -1));
  const items = new Map<string, GradeItem>();
  let totals = 0;
  header.forEach((name, index) => {
    const text = name.trim();
    const normalised = normaliseHeader(text);
    const gradeItem = GRADE_ITEM.exec(text);
    if (gradeItem && !/^course total/i.test(text)) {
      const [, activityType = '', itemName = ''] = gradeItem;
      const key = `${activityType}\u0000${itemName}`;
      const existing = items.get(key) ?? { activityType, name: itemName, columns: [] };
      existing.columns.push(index);
      items.set(key, existing);
      recognised.add(index);
    } else if (TOTAL.test(text)) {
      totals++;
      recognised.add(index);
    } else if (FEEDBACK_ITEM.test(text) || KNOWN_UNREAD.some((pattern) => pattern.test(normalised))) {
      recognised.add(index);
    }
  });
  if (totals > 0) summary.note(`Totals are not items: ${plural(totals, 'total column')} (course or category) ignored.`);
  if (items.size === 0) summary.note('The export has no grade item columns, so there is nothing to read.');
  summary.drop(findSpecialCategoryColumns(header, recognised));
  const unused = findUnusedColumns(header, recognised);
  if (unused.length > 0) summary.note(`Columns not used: ${unused.join(', ')}.`);
  const used = [...Object.values(identity), ...[...items.values()].flatMap((i) => i.columns)];
  return { identity, items: [...items.values()], width: header.length, minimum: Math.max(...used) + 1 };
}

function describeDelimiter(delimiter: Delimiter): string {
  return { ',': 'comma', '\t': 'tab', ';': 'semicolon', ':': 'colon' }[delimiter];
}
