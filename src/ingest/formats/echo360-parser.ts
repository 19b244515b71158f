import { normaliseHeader, raggedRowReason, readCsvRecords } from './csv-record-reader';
import { checkTimeZone, DEFAULT_TIME_ZONE, parseDurationSeconds, parseLooseDateTime } from './local-date-time';
import { ParseSummaryBuilder, plural } from './parse-summary-builder';
import { FileFormatError, type ActivityRecord, type DayMonthOrder, type IngestInput, type ParseResult, type PersonRef, type RowResult } from './parsed-records';
import { findSpecialCategoryColumns, findUnusedColumns, isSpecialCategoryHeader } from './special-category-columns';
import { contentHash } from './stable-ids';

export const ECHO360_FORMAT = 'echo360';

/** What a column can mean. A mapping can be given through the API; the upload form and CLI do not offer one yet. */
export type Echo360Field = 'name' | 'email' | 'userId' | 'section' | 'title' | 'date' | 'views' | 'viewTime';
export type Echo360ColumnMapping = Partial<Record<Echo360Field, string>>;

export interface Echo360Options {
  /** Header names of the file for each field; overrides recognition. */
  columnMapping?: Echo360ColumnMapping;
  /** Date for rows whose date is `N/A` or for exports without dates; without it such rows fail. */
  fallbackDate?: Date;
  /** Media per-user exports are one file per media: its title, part of the record's identity. */
  mediaTitle?: string;
  timeZone?: string;
  /** For numeric dates such as 03/04/2024. Default 'dmy'. */
  dayMonthOrder?: DayMonthOrder;
}

const CLASS_FORM: Partial<Record<Echo360Field, string>> = {
  name: 'student name',
  email: 'student email',
  userId: 'student user id',
  section: 'section name',
  title: 'class',
  date: 'lesson date',
  views: 'video views',
};
const MEDIA_FORM: Partial<Record<Echo360Field, string>> = {
  name: 'user name',
  email: 'user email',
  views: 'total views',
  viewTime: 'total view time',
};
// Unverified columns the media form may carry.
const MEDIA_OPTIONAL: Partial<Record<Echo360Field, readonly string[]>> = {
  title: ['media name', 'media title', 'title'],
  date: ['last viewed', 'last view date', 'date'],
  section: ['section name', 'section'],
};
const CLASS_DETAIL = { videoViewPercent: 'video view %' } as const;
const NOT_A_DATE = new Set(['', 'n/a', 'na', '-']);

type Columns = Partial<Record<Echo360Field, number>>;
interface Layout {
  form: 'class' | 'media' | 'mapped';
  columns: Columns;
  videoViewPercent: number;
  width: number;
  minimum: number;
}

export function parseEcho360(input: IngestInput, options: Echo360Options = {}): ParseResult<ActivityRecord> {
  const timeZone = checkTimeZone(options.timeZone ?? DEFAULT_TIME_ZONE);
  if (options.fallbackDate && Number.isNaN(options.fallbackDate.getTime())) {
    throw new FileFormatError('invalid-option', 'The fallback date is not a valid date.');
  }
  const summary = new ParseSummaryBuilder(ECHO360_FORMAT);
  return { rows: readRows(input, options, timeZone, summary), summary: () => summary.build() };
}

async function* readRows(input: IngestInput, options: Echo360Options, timeZone: string, summary: ParseSummaryBuilder): AsyncGenerator<RowResult<ActivityRecord>> {
  let layout: Layout | null = null;
  let sawData = false;
  for await (const item of readCsvRecords(input).items) {
    if (item.kind === 'error') {
      yield summary.failWithoutRow(item.line, item.reason);
      continue;
    }
    if (layout === null) {
      layout = readHeader(item.fields, options, summary);
      continue;
    }
    sawData = true;
    const ragged = raggedRowReason(item.fields, layout.width, layout.minimum);
    if (ragged) {
      yield summary.fail(item.line, ragged);
      continue;
    }
    const result = readRow(item.fields, layout, options, timeZone, summary);
    if (result === null) continue;
    yield 'reason' in result ? summary.fail(item.line, result.reason) : summary.ok(item.line, result.record);
  }
  if (layout === null) summary.note('The file is empty.');
  else if (!sawData) summary.note('The file has a header but no rows.');
}

function readRow(
  fields: string[],
  layout: Layout,
  options: Echo360Options,
  timeZone: string,
  summary: ParseSummaryBuilder,
): { record: ActivityRecord } | { reason: string } | null {
  const cell = (field: Echo360Field): string => {
    const index = layout.columns[field];
    return index === undefined ? '' : (fields[index] ?? '').trim();
  };
  const person: PersonRef = {
    ...(cell('name') ? { fullName: cell('name') } : {}),
    ...(cell('email') ? { email: cell('email') } : {}),
    // Echo360 accounts come from the institution's single sign-on, so its user id is the login name.
    ...(cell('userId') ? { username: cell('userId') } : {}),
  };
  if (!person.fullName && !person.email && !person.username) return { reason: 'Row names nobody: the name, email and user id cells are empty.' };

  const viewsText = cell('views').replace(/,/g, '');
  if (!/^\d+$/.test(viewsText)) return { reason: `Views '${cell('views')}' is not a whole number.` };
  const views = Number(viewsText);
  if (views === 0) {
    summary.skip('no-views', (n) => `${plural(n, 'row')} skipped: no video views, so nothing was watched.`);
    return null;
  }

  const dateText = cell('date');
  let occurredAt: Date;
  if (layout.columns.date === undefined || NOT_A_DATE.has(dateText.toLowerCase())) {
    if (!options.fallbackDate) {
      // The upload form and the command line offer no fallback date, so say what can be done to the file itself.
      return {
        reason: `The date is '${dateText || 'empty'}', so these views cannot be placed on a day. Write the class's date in that cell (for example 2026-10-13) and import the file again; rows already stored are not added twice.`,
      };
    }
    occurredAt = options.fallbackDate;
    summary.count('fallback-date', (n) => `${plural(n, 'row')} without a date counted on the fallback date ${options.fallbackDate!.toISOString().slice(0, 10)}.`);
  } else {
    const parsed = parseLooseDateTime(dateText, options.dayMonthOrder ?? 'dmy', timeZone);
    if (!parsed.ok) return { reason: `Date: ${parsed.reason}` };
    occurredAt = parsed.value;
  }

  let minutes = 0;
  const viewTime = cell('viewTime');
  if (viewTime) {
    const seconds = /^\d+(\.\d+)?$/.test(viewTime) ? { ok: true as const, value: Number(viewTime) * 60 } : parseDurationSeconds(viewTime);
    if (!seconds.ok) return { reason: `View time: ${seconds.reason}` };
    minutes = Math.round((seconds.value / 60) * 100) / 100;
  }

  const title = cell('title') || options.mediaTitle || '';
  const section = cell('section');
  const personKey = (person.email || person.username || person.fullName || '').toLowerCase();
  const percent = layout.videoViewPercent === -1 ? NaN : Number((fields[layout.videoViewPercent] ?? '').replace('%', '').trim());
  return {
    record: {
      source: 'recording',
      // Person + class/lesson (or media); counts are running totals, so a later export's higher counts replace these when stored.
      sourceId: `echo360:${contentHash([layout.form === 'class' ? 'class' : 'media', personKey, section, title, dateText])}`,
      occurredAt,
      person,
      count: views,
      minutes,
      detail: {
        title: title || null,
        section: section || null,
        lessonDate: dateText || null,
        ...(layout.form === 'class' ? { videoViewPercent: Number.isFinite(percent) ? percent : null } : {}),
      },
    },
  };
}

function readHeader(header: string[], options: Echo360Options, summary: ParseSummaryBuilder): Layout {
  const normalised = header.map(normaliseHeader);
  const find = (name: string): number | undefined => {
    const index = normalised.indexOf(normaliseHeader(name));
    return index === -1 ? undefined : index;
  };
  let form: Layout['form'];
  const columns: Columns = {};
  if (options.columnMapping && Object.keys(options.columnMapping).length > 0) {
    form = 'mapped';
    for (const [field, name] of Object.entries(options.columnMapping) as [Echo360Field, string][]) {
      const index = find(name);
      if (index === undefined) {
        throw new FileFormatError('unrecognised-header', `The mapping names a column "${name}" (for ${field}) that is not in this file. Columns found: ${quoteAll(header)}.`);
      }
      if (isSpecialCategoryHeader(name)) {
        throw new FileFormatError('invalid-option', `Column "${name}" holds special-category data and cannot be imported.`);
      }
      columns[field] = index;
    }
  } else if (find('video views') !== undefined && (find('student email') ?? find('student user id') ?? find('student name')) !== undefined) {
    form = 'class';
    for (const [field, name] of Object.entries(CLASS_FORM) as [Echo360Field, string][]) columns[field] = find(name);
    summary.note('Minutes watched are not in the class analytics export: records carry view counts only.');
  } else if (find('total views') !== undefined && (find('user email') ?? find('user name')) !== undefined) {
    form = 'media';
    for (const [field, name] of Object.entries(MEDIA_FORM) as [Echo360Field, string][]) columns[field] = find(name);
    for (const [field, names] of Object.entries(MEDIA_OPTIONAL) as [Echo360Field, readonly string[]][]) {
      columns[field] = names.map(find).find((index) => index !== undefined);
    }
  } else {
    throw new FileFormatError(
      'unrecognised-header',
      `This Echo360 export is not one we know. Columns found: ${quoteAll(header)}. We need either the class analytics columns ` +
        '("Student Name", "Student Email", "Student User ID", "Class", "Lesson Date", "Video Views") or the media per-user columns ' +
        '("User Name", "User Email", "Total Views", "Total View Time"). Otherwise rename the file\'s columns to the media per-user names ' +
        '(who watched: "User Name" or "User Email"; "Total Views"; and, where the file has them, "Total View Time", "Date", "Media title", "Section") ' +
        'and import it again.',
    );
  }
  for (const field of Object.keys(columns) as Echo360Field[]) if (columns[field] === undefined) delete columns[field];
  if (columns.views === undefined || (columns.name ?? columns.email ?? columns.userId) === undefined) {
    throw new FileFormatError('unrecognised-header', 'The Echo360 columns must include views and who watched (name, email or user id).');
  }
  if (columns.date === undefined && !options.fallbackDate) {
    throw new FileFormatError(
      'missing-option',
      'This export has no date column, so its views cannot be placed on a day. Add a column headed "Date" holding the day the views count on (for example 2026-10-20) and import it again, or import Echo360\'s class analytics export, which has a Lesson Date.',
    );
  }
  if (columns.title === undefined && !options.mediaTitle?.trim()) {
    // Without it, every recording's totals for a person would share one identity and overwrite each other.
    throw new FileFormatError(
      'missing-option',
      'Which recording is this export for? It has no title column, and without one its totals would mix with other recordings\'. Add a column headed "Media title" holding the recording\'s title and import it again.',
    );
  }
  summary.setFormat(`${ECHO360_FORMAT}-${form}`);
  const videoViewPercent = form === 'class' ? (find(CLASS_DETAIL.videoViewPercent) ?? -1) : -1;
  const recognised = new Set<number>([...Object.values(columns), videoViewPercent].filter((index) => index !== -1));
  summary.drop(findSpecialCategoryColumns(header, recognised));
  if (form !== 'class') {
    const unused = findUnusedColumns(header, recognised);
    if (unused.length > 0) summary.note(`Columns not understood and not used: ${unused.join(', ')}.`);
  }
  return { form, columns, videoViewPercent, width: header.length, minimum: Math.max(...recognised) + 1 };
}

function quoteAll(header: string[]): string {
  return header.map((name) => `"${name.trim()}"`).join(', ');
}
