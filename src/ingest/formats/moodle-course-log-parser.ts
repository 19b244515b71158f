import { indexHeaders, normaliseHeader, raggedRowReason, readCsvRecords, type CsvItem } from './csv-record-reader';
import { settleDayMonthOrder, type OrderEvidence } from './day-month-order-settling';
import { checkTimeZone, dayMonthOrderShownBy, DEFAULT_TIME_ZONE, localToInstants, parseNumericDateTime } from './local-date-time';
import { ParseSummaryBuilder, plural } from './parse-summary-builder';
import type { ActivityRecord, DayMonthOrder, IngestInput, ParseResult, RowResult } from './parsed-records';
import { findSpecialCategoryColumns, findUnusedColumns } from './special-category-columns';
import { undoMoodleFormulaEscape } from './spreadsheet-safety';
import { contentHash } from './stable-ids';

export interface MoodleCourseLogOptions {
  /** The downloader's time zone: Moodle writes wall-clock times. Default Europe/London. */
  timeZone?: string;
  /**
   * `7/09/26` is 7 September ('dmy', UK) or 9 July ('mdy', en_US). Omitted, the first date with a day above 12
   * decides, and day first when none does. Given, a file whose dates prove the other order is refused.
   */
  dayMonthOrder?: DayMonthOrder;
}

export const MOODLE_COURSE_LOG_FORMAT = 'moodle-course-log';

// Moodle's fixed column order, used when the header is translated.
const COLUMNS = ['time', 'userFullName', 'affectedUser', 'eventContext', 'component', 'eventName', 'description', 'origin', 'ipAddress'] as const;
type Column = (typeof COLUMNS)[number];
const ENGLISH_HEADERS: Record<Column, readonly string[]> = {
  time: ['time'],
  userFullName: ['user full name'],
  affectedUser: ['affected user'],
  eventContext: ['event context'],
  component: ['component'],
  eventName: ['event name'],
  description: ['description'],
  origin: ['origin'],
  ipAddress: ['ip address'],
};
const MINIMUM_COLUMNS = COLUMNS.indexOf('description') + 1;
// Rows held while every date reads either way (days 1 to 12): a busy module's fortnight, a bounded amount of memory.
const MAX_ROWS_HELD_FOR_ORDER = 100_000;

const ACTING_USER = /^The user with id '(\d+)'/i;
const COURSE_MODULE = /course module id '(\d+)'/i;
// Moodle's English string for "logged in as"; other languages cannot be recognised from the name column.
const LOGGED_IN_AS = / as /;

type ColumnIndex = Record<Column, number>;

export function parseMoodleCourseLog(input: IngestInput, options: MoodleCourseLogOptions = {}): ParseResult<ActivityRecord> {
  const timeZone = checkTimeZone(options.timeZone ?? DEFAULT_TIME_ZONE);
  const summary = new ParseSummaryBuilder(MOODLE_COURSE_LOG_FORMAT);
  return { rows: readRows(input, timeZone, options.dayMonthOrder, summary), summary: () => summary.build() };
}

interface Layout {
  columns: ColumnIndex | null;
  width: number;
  sawData: boolean;
}

/** The data rows and read errors, the header (or its absence) having been taken into `layout` first. */
async function* dataItems(input: IngestInput, layout: Layout, summary: ParseSummaryBuilder): AsyncGenerator<CsvItem> {
  for await (const item of readCsvRecords(input).items) {
    if (item.kind === 'record' && layout.columns === null) {
      const header = readHeader(item.fields, summary);
      layout.columns = header.columns;
      layout.width = header.width;
      if (header.isHeader) continue;
    }
    if (item.kind === 'record') layout.sawData = true;
    yield item;
  }
}

function noteSettledOrder(requested: DayMonthOrder | undefined, evidence: OrderEvidence | null, summary: ParseSummaryBuilder): void {
  if (requested) return;
  if (evidence) {
    summary.note(`Dates read ${evidence.order === 'mdy' ? 'month first (US)' : 'day first (UK)'}, as line ${evidence.line} shows ('${evidence.text}').`);
  } else {
    summary.note('No date in the file shows whether the day or the month comes first (no day is above 12): read day first (UK). If the file is from a Moodle set to US English, choose "Month first" before importing it.');
  }
}

async function* readRows(
  input: IngestInput,
  timeZone: string,
  requested: DayMonthOrder | undefined,
  summary: ParseSummaryBuilder,
): AsyncGenerator<RowResult<ActivityRecord>> {
  const layout: Layout = { columns: null, width: COLUMNS.length, sawData: false };
  // Identical rows share a Time and Moodle sorts by time, so occurrences only need counting within a run of equal Times.
  let runTime = '';
  const occurrences = new Map<string, number>();
  const ordering = new TimeOrderWatch(summary);
  const timeOf = (item: CsvItem): string => (item.kind === 'record' && layout.columns ? (item.fields[layout.columns.time] ?? '').trim() : '');
  const evidenceOf = (item: CsvItem): OrderEvidence | null => {
    const order = dayMonthOrderShownBy(timeOf(item));
    return order ? { order, line: item.line, text: timeOf(item) } : null;
  };
  const settled = settleDayMonthOrder(dataItems(input, layout, summary), evidenceOf, { requested, maxHeld: MAX_ROWS_HELD_FOR_ORDER }, (_order, evidence) =>
    noteSettledOrder(requested, evidence, summary),
  );

  for await (const { record: item, order: settledOrder } of settled) {
    if (item.kind === 'error') {
      yield summary.failWithoutRow(item.line, item.reason);
      continue;
    }
    const columns = layout.columns;
    const width = layout.width;
    const order = settledOrder ?? 'dmy';
    const fields = item.fields.map(undoMoodleFormulaEscape);
    const ragged = raggedRowReason(fields, width, MINIMUM_COLUMNS);
    if (ragged) {
      yield summary.fail(item.line, ragged);
      continue;
    }
    const cell = (column: Column): string => (columns![column] === -1 ? '' : (fields[columns![column]] ?? '').trim());

    const timeText = cell('time');
    const local = parseNumericDateTime(timeText, order, { requireTime: true });
    if (!local.ok) {
      yield summary.fail(item.line, `Time: ${local.reason}`);
      continue;
    }
    const occurredAt = ordering.choose(localToInstants(local.value, timeZone));
    if (!occurredAt) {
      yield summary.fail(item.line, `Time '${timeText}' does not exist in ${timeZone} (skipped when the clocks went forward). Check the time zone setting.`);
      continue;
    }
    ordering.see(occurredAt.getTime(), item.line);

    const description = cell('description');
    const userId = ACTING_USER.exec(description)?.[1];
    if (userId === undefined || userId === '0') {
      summary.skip('no-user', (n) => `${plural(n, 'row')} skipped: the event names no acting user (system or cron events), so it is nobody's engagement.`);
      continue;
    }
    const fullNameCell = cell('userFullName');
    if (LOGGED_IN_AS.test(fullNameCell)) {
      summary.skip(
        'logged-in-as',
        (n) => `${plural(n, 'row')} skipped: done by someone logged in as another user ("Real Name as Other Name"), so not that user's own engagement.`,
      );
      continue;
    }

    if (timeText !== runTime) {
      runTime = timeText;
      occurrences.clear();
    }
    const origin = cell('origin');
    // Language-independent content only, so English and translated downloads of the same events agree.
    const hash = contentHash([occurredAt.toISOString(), description, origin, cell('ipAddress')]);
    const occurrence = occurrences.get(hash) ?? 0;
    occurrences.set(hash, occurrence + 1);

    yield summary.ok<ActivityRecord>(item.line, {
      source: 'vle',
      sourceId: `moodle-log:${hash}:${occurrence}`,
      occurredAt,
      person: { moodleUserId: userId, ...(fullNameCell && fullNameCell !== '-' ? { fullName: fullNameCell } : {}) },
      count: 1,
      minutes: 0,
      detail: {
        eventName: cell('eventName') || null,
        component: cell('component') || null,
        eventContext: cell('eventContext') || null,
        courseModuleId: COURSE_MODULE.exec(description)?.[1] ?? null,
        origin: origin || null,
      },
    });
  }
  if (layout.columns === null) summary.note('The file is empty.');
  else if (!layout.sawData) summary.note('The file has a header but no rows.');
}

function readHeader(fields: string[], summary: ParseSummaryBuilder): { columns: ColumnIndex; width: number; isHeader: boolean } {
  const byName = indexHeaders(fields, ENGLISH_HEADERS);
  const positional = Object.fromEntries(COLUMNS.map((column, index) => [column, index])) as ColumnIndex;
  if (byName.time !== -1 && byName.description !== -1) {
    const recognised = new Set(Object.values(byName).filter((index) => index !== -1));
    reportExtraColumns(fields, recognised, summary);
    return { columns: byName, width: fields.length, isHeader: true };
  }
  const first = fields[0] ?? '';
  if (parseNumericDateTime(first, 'dmy', { requireTime: true }).ok || parseNumericDateTime(first, 'mdy', { requireTime: true }).ok) {
    summary.note('The file has no header row: columns mapped by position in Moodle order.');
    return { columns: positional, width: Math.max(fields.length, COLUMNS.length), isHeader: false };
  }
  const shown = fields.slice(0, 3).map((name) => `"${name.trim()}"`).join(', ');
  summary.note(`Header is not English (${shown}, …): columns mapped by position in Moodle order.`);
  reportExtraColumns(fields, new Set(COLUMNS.map((_, index) => index)), summary);
  return { columns: positional, width: fields.length, isHeader: true };
}

function reportExtraColumns(header: string[], recognised: Set<number>, summary: ParseSummaryBuilder): void {
  summary.drop(findSpecialCategoryColumns(header, recognised));
  const unused = findUnusedColumns(header, recognised).map(normaliseHeader);
  if (unused.length > 0) summary.note(`Columns not used: ${unused.join(', ')}.`);
}

/** Follows the file's time order: it settles the repeated autumn hour, and a note says when the order breaks. */
class TimeOrderWatch {
  private previous: number | null = null;
  private direction = 0;
  private warned = false;
  constructor(private readonly summary: ParseSummaryBuilder) {}

  /** Of two readings of a wall-clock time, the one that keeps the file in order (Moodle writes newest first). */
  choose(instants: Date[]): Date | null {
    if (instants.length <= 1) return instants[0] ?? null;
    const newestFirst = this.direction <= 0;
    if (this.previous === null) return (newestFirst ? instants.at(-1) : instants[0]) ?? null;
    const previous = this.previous;
    const fitting = instants.filter((instant) => (newestFirst ? instant.getTime() <= previous : instant.getTime() >= previous));
    return (newestFirst ? (fitting.at(-1) ?? instants[0]) : (fitting[0] ?? instants.at(-1))) ?? null;
  }

  see(time: number, line: number): void {
    if (this.previous !== null && time !== this.previous && !this.warned) {
      const direction = Math.sign(time - this.previous);
      if (this.direction === 0) this.direction = direction;
      else if (direction !== this.direction) {
        this.warned = true;
        this.summary.note(
          `Rows are not in time order (from line ${line}); identical events that are far apart in the file may be counted once. Import the file as Moodle downloaded it.`,
        );
      }
    }
    this.previous = time;
  }
}
