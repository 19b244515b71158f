import type { LearnerRecords } from './learner-records';
import type { CsvCell } from './csv-text';
import { dateTimeText, detailText, eventDescription, sourceName } from './record-wording';

// LearnerRecords as one table: each row says which record it is, so the file opens as a single sheet.

export const LEARNER_CSV_HEADER = ['record', 'date', 'source', 'item', 'count', 'minutes', 'status', 'details'] as const;

export function* learnerRecordRows(r: LearnerRecords, note: string): Generator<CsvCell[]> {
  const zone = r.module.timeZone;
  const when = (d: Date | null) => dateTimeText(d, zone);
  yield ['note', '', '', '', null, null, '', note];
  yield ['module', '', '', r.module.title || r.module.label, null, null, '', `Moodle course id ${r.module.courseId}`];
  const p = r.person;
  const fields: Array<[string, CsvCell]> = [
    ['name', p.name],
    ['given name', p.givenName],
    ['family name', p.familyName],
    ['email', p.email],
    ['Moodle user id', p.moodleUserId],
    ['student record id (sourcedId)', p.sourcedId],
    ['roles in the module', p.rolesInModule.join(' ')],
    ['enrolment status', p.enrolmentStatus],
    ['first seen in the module roster', when(p.firstInRoster)],
    ['last seen in the module roster', when(p.lastInRoster)],
    ['left the module', when(p.leftModule)],
    ['first opened Waymark', when(p.firstOpenedWaymark)],
    ['last opened Waymark', when(p.lastOpenedWaymark)],
  ];
  for (const [field, value] of fields) yield ['about you', '', '', field, null, null, '', value];
  for (const w of r.weeklyEngagement) yield ['weekly engagement level', w.start, '', `Week ${w.week} (${w.start} to ${w.end})`, null, null, w.level === null ? 'not measured' : w.level, ''];
  for (const a of r.assignments) {
    yield ['assignment', when(a.dueAt), 'assignment', a.title, null, null, a.submitted ? (a.late ? 'handed in late' : 'handed in') : 'not handed in', a.submittedAt ? `handed in ${when(a.submittedAt)}` : ''];
  }
  for (const d of r.dataReports) {
    yield ['your report about incorrect data', when(d.createdAt), sourceName(d.source), d.text, null, null, d.status, d.staffNote ? `staff note: ${d.staffNote}` : ''];
  }
  for (const d of r.dailyActivity) yield ['daily total', d.day, sourceName(d.source), '', d.count, d.minutes, '', ''];
  for (const e of r.events) yield ['activity record', when(e.occurredAt), sourceName(e.source), eventDescription(e), e.count, e.minutes, '', detailText(e.detail)];
  if (!r.staffOnly) return;
  const s = r.staffOnly;
  yield ['staff flag', '', '', 'sponsored student visa', null, null, s.flags.sponsoredVisa ? 'yes' : 'no', ''];
  yield ['staff flag', '', '', 'marked by staff as not a learner', null, null, s.flags.markedNotALearner ? 'yes' : 'no', ''];
  for (const a of s.alerts) yield ['staff alert', when(a.openedAt), '', a.rule, null, null, a.state, [a.evidenceText, a.closeExplanation, a.dismissReason].filter(Boolean).join(' | ')];
  for (const i of s.interventions) yield ['staff supportive contact', i.contactedOn, i.method, i.note, null, null, i.outcome, `recorded by ${i.recordedByName}`];
  for (const k of s.knownCauses) yield ['staff known reason for absence', `${k.from} to ${k.to}`, '', k.reason, null, null, '', `recorded by ${k.createdByName}`];
  for (const a of s.accessLog) yield ['access to this data', when(a.at), '', a.action, null, null, '', a.actorRole];
}
