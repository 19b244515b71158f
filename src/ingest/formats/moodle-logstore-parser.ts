import { indexHeaders, normaliseHeader, raggedRowReason, readCsvRecords } from './csv-record-reader';
import { ParseSummaryBuilder, plural } from './parse-summary-builder';
import { FileFormatError, type ActivityRecord, type IngestInput, type ParseResult, type RowResult } from './parsed-records';
import { findSpecialCategoryColumns } from './special-category-columns';
import { undoMoodleFormulaEscape } from './spreadsheet-safety';

export interface MoodleLogstoreOptions {
  /** Keep only this Moodle course id (a site-wide export holds every course); others are skipped with a note. */
  courseId?: string;
}

export const MOODLE_LOGSTORE_FORMAT = 'moodle-logstore';

const FIELDS = {
  id: ['id'],
  eventName: ['eventname'],
  component: ['component'],
  action: ['action'],
  target: ['target'],
  objectTable: ['objecttable'],
  objectId: ['objectid'],
  crud: ['crud'],
  eduLevel: ['edulevel'],
  contextLevel: ['contextlevel'],
  contextInstanceId: ['contextinstanceid'],
  userId: ['userid'],
  courseId: ['courseid'],
  anonymous: ['anonymous'],
  timeCreated: ['timecreated'],
  origin: ['origin'],
  realUserId: ['realuserid'],
} as const;
type Field = keyof typeof FIELDS;
const REQUIRED: Field[] = ['id', 'eventName', 'eduLevel', 'userId', 'timeCreated'];

// Moodle tags every event with an educational level: 2 = participating (a learner's own learning actions),
// 1 = teaching (staff actions on others), 0 = other (logins, profile and admin events). Only 2 is engagement.
const LEVEL_PARTICIPATING = '2';
const CONTEXT_MODULE = '70';
const NULLS = new Set(['', 'null', '\\n']);

export function parseMoodleLogstore(input: IngestInput, options: MoodleLogstoreOptions = {}): ParseResult<ActivityRecord> {
  const summary = new ParseSummaryBuilder(MOODLE_LOGSTORE_FORMAT);
  return { rows: readRows(input, options, summary), summary: () => summary.build() };
}

async function* readRows(input: IngestInput, options: MoodleLogstoreOptions, summary: ParseSummaryBuilder): AsyncGenerator<RowResult<ActivityRecord>> {
  let columns: Record<Field, number> | null = null;
  let width = 0;
  let sawData = false;
  for await (const item of readCsvRecords(input).items) {
    if (item.kind === 'error') {
      yield summary.failWithoutRow(item.line, item.reason);
      continue;
    }
    if (columns === null) {
      // DB tools may qualify names (`mdl_logstore_standard_log.id`) or upper-case them.
      const header = item.fields.map((name) => normaliseHeader(name).replace(/^.*\./, ''));
      columns = indexHeaders(header, FIELDS);
      const missing = REQUIRED.filter((field) => columns![field] === -1);
      if (missing.length > 0) {
        throw new FileFormatError(
          'unrecognised-header',
          `This is not a logstore_standard_log export: it needs the columns ${REQUIRED.map((f) => FIELDS[f][0]).join(', ')} (missing ${missing.map((f) => FIELDS[f][0]).join(', ')}).`,
        );
      }
      width = header.length;
      summary.drop(findSpecialCategoryColumns(item.fields, new Set(Object.values(columns))));
      continue;
    }
    sawData = true;
    const ragged = raggedRowReason(item.fields, width, width);
    if (ragged) {
      yield summary.fail(item.line, ragged);
      continue;
    }
    const fields = item.fields;
    const cell = (field: Field): string | null => {
      const index = columns![field];
      const value = index === -1 ? '' : undoMoodleFormulaEscape((fields[index] ?? '').trim());
      return NULLS.has(value.toLowerCase()) ? null : value;
    };

    const id = cell('id');
    const seconds = Number(cell('timeCreated'));
    if (!id || !/^\d+$/.test(id)) {
      yield summary.fail(item.line, `id '${id ?? ''}' is not a log id number; export the table's id column unchanged.`);
      continue;
    }
    if (!Number.isInteger(seconds) || seconds <= 0) {
      yield summary.fail(item.line, `timecreated '${cell('timeCreated') ?? ''}' is not a Unix time in seconds; export it as a number, not a formatted date.`);
      continue;
    }
    if (options.courseId !== undefined && cell('courseId') !== options.courseId) {
      summary.skip('other-course', (n) => `${plural(n, 'row')} skipped: they belong to other courses than ${options.courseId}.`);
      continue;
    }
    if (cell('eduLevel') !== LEVEL_PARTICIPATING) {
      summary.skip('not-participating', (n) => `${plural(n, 'row')} skipped: not a participating event (edulevel is not 2: teaching or system events).`);
      continue;
    }
    const userId = cell('userId');
    if (!userId || userId === '0') {
      summary.skip('no-user', (n) => `${plural(n, 'row')} skipped: no acting user.`);
      continue;
    }
    if (cell('realUserId')) {
      summary.skip('logged-in-as', (n) => `${plural(n, 'row')} skipped: done by someone logged in as another user (realuserid set).`);
      continue;
    }
    if (cell('anonymous') === '1') {
      summary.skip('anonymous', (n) => `${plural(n, 'row')} skipped: anonymous events (the person chose not to be identified).`);
      continue;
    }

    yield summary.ok<ActivityRecord>(item.line, {
      source: 'vle',
      sourceId: `moodle-logstore:${id}`,
      occurredAt: new Date(seconds * 1000),
      person: { moodleUserId: userId },
      count: 1,
      minutes: 0,
      // `other` is free-form serialised data: never kept.
      detail: {
        eventName: cell('eventName'),
        component: cell('component'),
        action: cell('action'),
        target: cell('target'),
        crud: cell('crud'),
        courseId: cell('courseId'),
        courseModuleId: cell('contextLevel') === CONTEXT_MODULE ? cell('contextInstanceId') : null,
        objectTable: cell('objectTable'),
        objectId: cell('objectId'),
        origin: cell('origin'),
      },
    });
  }
  if (columns === null) summary.note('The file is empty.');
  else if (!sawData) summary.note('The file has a header but no rows.');
}
