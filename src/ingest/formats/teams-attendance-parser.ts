import { normaliseHeader, readCsvRecords, type CsvItem } from './csv-record-reader';
import { settleDayMonthOrder, type OrderEvidence } from './day-month-order-settling';
import { checkTimeZone, dayMonthOrderShownBy, DEFAULT_TIME_ZONE, localToInstant, parseDurationSeconds, parseNumericDateTime, type Parsed } from './local-date-time';
import { ParseSummaryBuilder, plural } from './parse-summary-builder';
import type { ActivityRecord, DayMonthOrder, IngestInput, ParseResult, PersonRef, RowResult } from './parsed-records';
import { findSpecialCategoryColumns } from './special-category-columns';
import { contentHash } from './stable-ids';

export const TEAMS_ATTENDANCE_FORMAT = 'teams-attendance';

export interface TeamsAttendanceOptions {
  /** Wins over the title in the file and in the filename. */
  meetingTitle?: string;
  /** `<title> - Attendance report <M-D-YY>.csv`: the title when the report has none (2020 form). */
  filename?: string;
  /** The downloader's time zone. Default Europe/London. */
  timeZone?: string;
  /**
   * Omitted, the first date with a day above 12 decides; when none does, 'mdy' for times with AM/PM (en-US), else
   * 'dmy'. Given, a report whose dates prove the other order is refused.
   */
  dayMonthOrder?: DayMonthOrder;
}

/** `Week 3 seminar - Attendance report 11-14-22.csv` -> title and report date (ISO). */
export function parseAttendanceReportFilename(filename: string): { meetingTitle: string; reportDate: string | null } | null {
  const base = filename.replace(/^.*[\\/]/, '').replace(/\s*\(\d+\)(?=\.[^.]+$)/, '');
  const match = /^(.+?) - Attendance report(?: (\d{1,2})-(\d{1,2})-(\d{2,4}))?\.(csv|tsv|txt)$/i.exec(base);
  if (!match) return null;
  const [, meetingTitle = '', month, day, year] = match;
  const reportDate =
    month && day && year ? `${year.length === 2 ? `20${year}` : year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : null;
  return { meetingTitle: meetingTitle.trim(), reportDate };
}

type Column = 'name' | 'join' | 'leave' | 'duration' | 'email' | 'upn' | 'role';
type TableKind = 'participants' | 'activities' | 'participants2021';
const TABLE_HEADERS: Record<Column, readonly string[]> = {
  name: ['name', 'full name'],
  join: ['first join', 'join time'],
  leave: ['last leave', 'leave time'],
  duration: ['in-meeting duration', 'duration'],
  email: ['email'],
  upn: ['participant id (upn)', 'upn'],
  role: ['role'],
};
// Column order Teams uses, for headers in another language.
const TABLE_POSITIONS: Record<TableKind, Column[]> = {
  participants: ['name', 'join', 'leave', 'duration', 'email', 'upn', 'role'],
  activities: ['name', 'join', 'leave', 'duration', 'email', 'role'],
  participants2021: ['name', 'join', 'leave', 'duration', 'email', 'role', 'upn'],
};
// Organisers and presenters are staff, not attendance; roles are translated, so several languages are listed.
const STAFF_ROLE = /organi[sz]|organizador|organisateur|organizzatore|organizator|present|prezent|apresentador|pr[ée]sentateur|relatore/i;

interface Attendance {
  line: number;
  person: PersonRef;
  firstJoin: Date | null;
  lastLeave: Date | null;
  /** From the Participants table (2022+) or the 2021 rows. */
  reportedSeconds: number | null;
  /** Summed from In-Meeting Activities sessions, or paired Joined/Left actions (2020). */
  sessionSeconds: number;
  openSince: Date | null;
}

interface Table {
  kind: TableKind;
  columns: Record<Column, number> | null;
}

export function parseTeamsAttendance(input: IngestInput, options: TeamsAttendanceOptions = {}): ParseResult<ActivityRecord> {
  const timeZone = checkTimeZone(options.timeZone ?? DEFAULT_TIME_ZONE);
  const summary = new ParseSummaryBuilder(TEAMS_ATTENDANCE_FORMAT);
  return { rows: new TeamsReport(options, timeZone, summary).read(input), summary: () => summary.build() };
}

class TeamsReport {
  private form: '2020' | '2021' | '2022' | null = null;
  private section: 'summary' | 'table' | 'other' = 'summary';
  private summaryRows: string[][] = [];
  private table: Table | null = null;
  private readonly people = new Map<string, Attendance>();
  private readonly staff = new Set<string>();
  private latest: Date | null = null;
  /** The order chosen or proven by the report's dates; null when neither told. */
  private order: DayMonthOrder | null = null;

  constructor(
    private readonly options: TeamsAttendanceOptions,
    private readonly timeZone: string,
    private readonly summary: ParseSummaryBuilder,
  ) {}

  async *read(input: IngestInput): AsyncGenerator<RowResult<ActivityRecord>> {
    let sawAnything = false;
    // A report is a few hundred rows and is read whole before anything is handed on, so holding it costs nothing.
    const settled = settleDayMonthOrder(readCsvRecords(input, { delimiter: '\t' }).items, orderShownByRecord, {
      requested: this.options.dayMonthOrder,
      maxHeld: Number.POSITIVE_INFINITY,
    });
    for await (const { record: item, order } of settled) {
      sawAnything = true;
      this.order = order;
      if (item.kind === 'error') {
        yield this.summary.failWithoutRow(item.line, item.reason);
        continue;
      }
      const fields = trimPadding(item.fields);
      const failure = this.readRecord(fields, item.line);
      if (failure) yield this.summary.fail(item.line, failure);
    }
    if (!sawAnything) {
      this.summary.note('The file is empty.');
      return;
    }
    yield* this.emit();
  }

  /** Returns a reason when the row cannot be used. */
  private readRecord(fields: string[], line: number): string | null {
    const first = fields[0] ?? '';
    if (this.form === null) {
      if (/^\d+\.\s+\S/.test(first) && fields.length === 1) {
        this.form = '2022';
      } else if (fields.length === 3 && this.isHeader(fields, ['full name', 'user action', 'timestamp'])) {
        this.form = '2020';
        this.section = 'table';
        this.summary.setFormat(`${TEAMS_ATTENDANCE_FORMAT}-2020`);
        this.summary.note('The 2020 report lists no roles, so organisers cannot be told apart: they are kept; matching to the learner roster leaves staff out.');
        return null;
      } else if (fields.length === 3) {
        this.form = '2020';
        this.section = 'table';
        this.summary.setFormat(`${TEAMS_ATTENDANCE_FORMAT}-2020`);
        this.summary.note(`Header is not English (${quoteList(fields)}): columns mapped by position (name, action, time).`);
        return null;
      } else {
        this.form = '2021';
      }
      this.summary.setFormat(`${TEAMS_ATTENDANCE_FORMAT}-${this.form}`);
    }
    if (this.form === '2020') return this.readAction(fields);

    // 2022+: numbered section titles, in any language.
    const sectionTitle = /^(\d+)\.\s+\S/.exec(first);
    if (this.form === '2022' && sectionTitle && fields.length === 1) {
      const number = Number(sectionTitle[1]);
      this.section = number === 1 ? 'summary' : number === 2 || number === 3 ? 'table' : 'other';
      this.table = number === 2 ? { kind: 'participants', columns: null } : number === 3 ? { kind: 'activities', columns: null } : null;
      return null;
    }
    if (this.section === 'summary') {
      if (this.form === '2021' && fields.length >= 5) {
        this.section = 'table';
        this.table = { kind: 'participants2021', columns: null };
      } else {
        if (fields.length >= 2) this.summaryRows.push(fields);
        return null;
      }
    }
    if (this.section !== 'table' || !this.table) return null;
    if (this.table.columns === null) {
      this.table.columns = this.mapTable(fields, this.table.kind);
      return null;
    }
    return this.readTableRow(fields, line, this.table.kind, this.table.columns);
  }

  private mapTable(header: string[], kind: TableKind): Record<Column, number> {
    const normalised = header.map(normaliseHeader);
    const byName = {} as Record<Column, number>;
    for (const column of Object.keys(TABLE_HEADERS) as Column[]) byName[column] = normalised.findIndex((name) => TABLE_HEADERS[column].includes(name));
    const recognised = new Set(Object.values(byName).filter((index) => index !== -1));
    this.summary.drop(findSpecialCategoryColumns(header, recognised));
    if (byName.name !== -1 && byName.join !== -1 && byName.duration !== -1) return byName;
    this.summary.note(`Header is not English (${quoteList(header)}): columns mapped by position.`);
    const positional = { name: -1, join: -1, leave: -1, duration: -1, email: -1, upn: -1, role: -1 } as Record<Column, number>;
    TABLE_POSITIONS[kind].forEach((column, index) => (positional[column] = index));
    return positional;
  }

  private readTableRow(fields: string[], line: number, kind: TableKind, columns: Record<Column, number>): string | null {
    const cell = (column: Column): string => (columns[column] === -1 ? '' : (fields[columns[column]] ?? '').trim());
    const name = cell('name');
    if (!name) return 'Row has no name.';
    const person: PersonRef = { fullName: name };
    if (cell('email')) person.email = cell('email');
    if (cell('upn')) person.username = cell('upn');
    const keys = aliasesOf(person);
    if (STAFF_ROLE.test(cell('role')) || this.isStaff(person)) {
      if (!this.isStaff(person)) {
        this.summary.skip('staff', (n) => `${plural(n, 'person', 'people')} skipped: organisers and presenters are staff, not attendance.`);
      }
      for (const key of keys) this.staff.add(key);
      return null;
    }
    const join = this.parseTime(cell('join'), 'Join time');
    if (!join.ok) return join.reason;
    const leave = cell('leave') ? this.parseTime(cell('leave'), 'Leave time') : null;
    if (leave && !leave.ok) return leave.reason;
    const duration = parseDurationSeconds(cell('duration'));
    if (!duration.ok) return duration.reason;

    const attendance = this.attendanceOf(person, line);
    attendance.firstJoin = earliest(attendance.firstJoin, join.value);
    if (leave?.ok) attendance.lastLeave = latest(attendance.lastLeave, leave.value);
    if (kind === 'activities') attendance.sessionSeconds += duration.value;
    else attendance.reportedSeconds = (attendance.reportedSeconds ?? 0) + duration.value; // 2021 may list a person once per session
    return null;
  }

  private readAction(fields: string[]): string | null {
    const [name = '', action = '', time = ''] = fields.map((field) => field.trim());
    if (!name) return 'Row has no name.';
    const at = this.parseTime(time, 'Timestamp');
    if (!at.ok) return at.reason;
    this.latest = latest(this.latest, at.value);
    const person: PersonRef = { fullName: name };
    const attendance = this.attendanceOf(person, 0);
    if (/^joined/i.test(action)) {
      attendance.openSince ??= at.value;
      attendance.firstJoin = earliest(attendance.firstJoin, at.value);
    } else if (/^left/i.test(action)) {
      if (attendance.openSince) attendance.sessionSeconds += (at.value.getTime() - attendance.openSince.getTime()) / 1000;
      else this.summary.count('left-without-join', (n) => `${plural(n, '"Left" action')} without a matching "Joined" ignored.`);
      attendance.openSince = null;
      attendance.lastLeave = latest(attendance.lastLeave, at.value);
    } else {
      return `User Action '${action}' is not Joined, Joined before or Left. Download the report in English.`;
    }
    return null;
  }

  /** The same person appears in several tables, with the UPN in one and only the email in another. */
  private attendanceOf(person: PersonRef, line: number): Attendance {
    const keys = aliasesOf(person);
    const lookup = person.username || person.email ? keys.filter((key) => !key.startsWith('name:')) : keys;
    let attendance = lookup.map((key) => this.people.get(key)).find((found) => found !== undefined);
    if (!attendance) {
      attendance = { line, person: { ...person }, firstJoin: null, lastLeave: null, reportedSeconds: null, sessionSeconds: 0, openSince: null };
    } else {
      attendance.person = { ...person, ...attendance.person };
    }
    for (const key of keys) this.people.set(key, attendance);
    if (attendance.line === 0) attendance.line = line;
    return attendance;
  }

  private isStaff(person: PersonRef): boolean {
    const keys = aliasesOf(person);
    const lookup = person.username || person.email ? keys.filter((key) => !key.startsWith('name:')) : keys;
    return lookup.some((key) => this.staff.has(key));
  }

  private *emit(): Generator<RowResult<ActivityRecord>> {
    if (this.people.size === 0 && this.staff.size === 0) this.summary.note('The report has no attendance rows.');
    const { title, start } = this.meeting();
    if (!title) this.summary.note('No meeting title in the report, its filename or the options: records are told apart by start time only.');
    for (const attendance of new Set(this.people.values())) {
      if (this.isStaff(attendance.person)) continue;
      const key = aliasesOf(attendance.person)[0] ?? '';
      if (attendance.openSince && this.latest) {
        attendance.sessionSeconds += (this.latest.getTime() - attendance.openSince.getTime()) / 1000;
        this.summary.count('open-session', (n) => `${plural(n, 'session')} with no "Left" counted to the last time in the report.`);
      }
      const occurredAt = attendance.firstJoin ?? start;
      if (!occurredAt) {
        yield this.summary.fail(attendance.line, 'No join time for this person and no meeting start in the report.');
        continue;
      }
      const seconds = attendance.reportedSeconds ?? attendance.sessionSeconds;
      const meetingStart = (start ?? occurredAt).toISOString();
      yield this.summary.ok<ActivityRecord>(attendance.line, {
        source: 'meeting',
        sourceId: `teams:${contentHash([title, meetingStart, key, occurredAt.toISOString()])}`,
        occurredAt,
        person: attendance.person,
        count: 1,
        minutes: Math.round((seconds / 60) * 100) / 100,
        detail: { meetingTitle: title || null, meetingStart },
      });
    }
  }

  /** Title: option, then the Summary block, then the filename. Start: Summary, else the earliest join. */
  private meeting(): { title: string; start: Date | null } {
    const byKey = new Map(this.summaryRows.map((row) => [normaliseHeader(row[0] ?? ''), (row[1] ?? '').trim()]));
    const english = byKey.has('meeting title') || byKey.has('start time') || byKey.has('meeting start time');
    // Without English keys, Teams' row order: 2022 title, participants, start; 2021 participants, title, start.
    const [titleRow, startRow] = this.form === '2022' ? [0, 2] : [1, 2];
    const summaryTitle = english ? byKey.get('meeting title') : this.summaryRows[titleRow]?.[1]?.trim();
    const startText = english ? (byKey.get('start time') ?? byKey.get('meeting start time')) : this.summaryRows[startRow]?.[1]?.trim();
    if (!english && this.summaryRows.length > 0) this.summary.note('Summary keys are not English: title and start time taken by position.');
    const fromFilename = this.options.filename ? parseAttendanceReportFilename(this.options.filename)?.meetingTitle : undefined;
    const title = this.options.meetingTitle?.trim() || summaryTitle || fromFilename || '';
    let start: Date | null = null;
    if (startText) {
      const parsed = this.parseTime(startText, 'Meeting start time');
      if (parsed.ok) start = parsed.value;
      else this.summary.note(parsed.reason);
    }
    if (!start) {
      for (const attendance of this.people.values()) start = earliest(start, attendance.firstJoin);
    }
    return { title, start };
  }

  private parseTime(text: string, label: string): Parsed<Date> {
    const order = this.order ?? (/[AaPp]\.?\s?[Mm]\.?\s*$/.test(text) ? 'mdy' : 'dmy');
    const local = parseNumericDateTime(text, order, { requireTime: true });
    if (!local.ok) return { ok: false, reason: `${label}: ${local.reason}` };
    const instant = localToInstant(local.value, this.timeZone);
    return instant ? { ok: true, value: instant } : { ok: false, reason: `${label} '${text}' does not exist in ${this.timeZone}.` };
  }

  private isHeader(fields: string[], names: string[]): boolean {
    return fields.every((field, index) => normaliseHeader(field) === names[index]);
  }
}

/** The day/month order the first telling date of a report row proves (any cell: summary, join or leave times). */
function orderShownByRecord(item: CsvItem): OrderEvidence | null {
  if (item.kind !== 'record') return null;
  for (const field of item.fields) {
    const order = dayMonthOrderShownBy(field.trim());
    if (order) return { order, line: item.line, text: field.trim() };
  }
  return null;
}

/** Teams pads every row with tabs to the widest section. */
function trimPadding(fields: string[]): string[] {
  let end = fields.length;
  while (end > 0 && (fields[end - 1] ?? '').trim() === '') end--;
  return fields.slice(0, end);
}

function aliasesOf(person: PersonRef): string[] {
  return [
    ...(person.username ? [`upn:${person.username.toLowerCase()}`] : []),
    ...(person.email ? [`email:${person.email.toLowerCase()}`] : []),
    ...(person.fullName ? [`name:${person.fullName.toLowerCase()}`] : []),
  ];
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function quoteList(fields: string[]): string {
  return fields
    .slice(0, 3)
    .map((field) => `"${field.trim()}"`)
    .join(', ')
    .concat(fields.length > 3 ? ', …' : '');
}
