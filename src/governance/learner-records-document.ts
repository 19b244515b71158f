import type { LearnerRecords } from './learner-records';
import type { PdfSection } from './pdf-document';
import { dateTimeText, dayText, detailText, eventDescription, sourceName } from './record-wording';

// LearnerRecords laid out as PDF sections; the staff-only sections appear only in a subject access export.

const yesNo = (v: boolean | null) => (v === null ? '' : v ? 'Yes' : 'No');
const level = (v: number | null) => (v === null ? 'Not measured' : String(v));

export function learnerRecordSections(r: LearnerRecords, headingPrefix = ''): PdfSection[] {
  const zone = r.module.timeZone;
  const p = r.person;
  const sections: PdfSection[] = [
    {
      heading: `${headingPrefix}Your details from Moodle`,
      facts: [
        ['Name', p.name],
        ['Given name', p.givenName],
        ['Family name', p.familyName],
        ['Email', p.email],
        ['Moodle user id', p.moodleUserId],
        ['Student record id (sourcedId)', p.sourcedId],
        ['Roles in the module', [...new Set(p.rolesInModule.map((role) => role.replace(/^.*[#/]/, '')))].join(', ')],
        ['Enrolment status', p.enrolmentStatus],
        ['First seen in the module roster', dateTimeText(p.firstInRoster, zone)],
        ['Last seen in the module roster', dateTimeText(p.lastInRoster, zone)],
        ['Left the module', dateTimeText(p.leftModule, zone)],
        ['First opened Waymark', dateTimeText(p.firstOpenedWaymark, zone)],
        ['Last opened Waymark', dateTimeText(p.lastOpenedWaymark, zone)],
      ],
    },
    {
      heading: `${headingPrefix}Weekly engagement level`,
      paragraphs: ['A level from 0 to 100 for each complete teaching week: how far the week met the module’s markers. It is never part of assessment.'],
      table: {
        columns: [{ header: 'Week', width: 1 }, { header: 'From', width: 2 }, { header: 'To', width: 2 }, { header: 'Level', width: 2 }],
        rows: r.weeklyEngagement.map((w) => [String(w.week), dayText(w.start), dayText(w.end), level(w.level)]),
        empty: 'No teaching week has started yet.',
      },
    },
    {
      heading: `${headingPrefix}Assignments`,
      table: {
        columns: [{ header: 'Assignment', width: 4 }, { header: 'Due', width: 3 }, { header: 'Handed in', width: 1.5 }, { header: 'When', width: 3 }, { header: 'Late', width: 1 }],
        rows: r.assignments.map((a) => [a.title, dateTimeText(a.dueAt, zone), yesNo(a.submitted), dateTimeText(a.submittedAt, zone), yesNo(a.late)]),
        empty: 'No assignments are recorded for this module.',
      },
    },
    {
      heading: `${headingPrefix}Reports you made about incorrect data`,
      table: {
        columns: [
          { header: 'Sent', width: 2.5 },
          { header: 'About', width: 2 },
          { header: 'What you wrote', width: 6 },
          { header: 'Status', width: 1.5 },
          ...(r.staffOnly ? [{ header: 'Staff note', width: 3 }] : []),
        ],
        rows: r.dataReports.map((d) => [dateTimeText(d.createdAt, zone), sourceName(d.source), d.text, d.status, ...(r.staffOnly ? [d.staffNote ?? ''] : [])]),
        empty: 'No reports.',
      },
    },
    {
      heading: `${headingPrefix}Daily activity totals`,
      table: {
        columns: [{ header: 'Day', width: 2 }, { header: 'Source', width: 2 }, { header: 'Count', width: 1 }, { header: 'Minutes', width: 1 }],
        rows: r.dailyActivity.map((d) => [dayText(d.day), sourceName(d.source), String(d.count), String(d.minutes)]),
        empty: 'No activity recorded.',
      },
    },
    {
      heading: `${headingPrefix}Activity records`,
      paragraphs: [`${r.events.length} records, oldest first: each one thing recorded by a system the module uses.`],
      table: {
        columns: [{ header: 'When', width: 2.2 }, { header: 'Source', width: 1.6 }, { header: 'What', width: 2.8 }, { header: 'Count', width: 1 }, { header: 'Minutes', width: 1.3 }, { header: 'Details', width: 3.8 }],
        rows: r.events.map((e) => [dateTimeText(e.occurredAt, zone), sourceName(e.source), eventDescription(e), String(e.count), String(e.minutes), detailText(e.detail)]),
        empty: 'No activity recorded.',
      },
    },
  ];
  if (r.staffOnly) sections.push(...staffOnlySections(r, headingPrefix));
  return sections;
}

function staffOnlySections(r: LearnerRecords, headingPrefix: string): PdfSection[] {
  const zone = r.module.timeZone;
  const s = r.staffOnly!;
  return [
    {
      heading: `${headingPrefix}Staff records: flags`,
      facts: [
        ['Sponsored student visa', yesNo(s.flags.sponsoredVisa)],
        ['Marked by staff as not a learner', yesNo(s.flags.markedNotALearner)],
        ['Opened Waymark as staff', yesNo(s.flags.launchedAsStaff)],
      ],
    },
    {
      heading: `${headingPrefix}Staff records: prompts to get in touch (alerts)`,
      table: {
        columns: [{ header: 'Opened', width: 2 }, { header: 'Rule', width: 1.6 }, { header: 'For', width: 1.4 }, { header: 'State', width: 1.4 }, { header: 'Evidence', width: 5 }, { header: 'Closed', width: 3 }],
        rows: s.alerts.map((a) => [
          dateTimeText(a.openedAt, zone),
          a.rule,
          a.audience,
          a.state,
          a.evidenceText,
          [dateTimeText(a.closedAt, zone), a.closeExplanation, a.dismissReason].filter(Boolean).join(' — '),
        ]),
        empty: 'None.',
      },
    },
    {
      heading: `${headingPrefix}Staff records: supportive contacts`,
      table: {
        columns: [{ header: 'Date', width: 1.6 }, { header: 'How', width: 1.2 }, { header: 'Note', width: 5 }, { header: 'Outcome', width: 3 }, { header: 'Follow-up', width: 1.6 }, { header: 'Recorded by', width: 2 }],
        rows: s.interventions.map((i) => [dayText(i.contactedOn), i.method, i.note, i.outcome, dayText(i.followUpOn), i.recordedByName]),
        empty: 'None.',
      },
    },
    {
      heading: `${headingPrefix}Staff records: known reasons for absence`,
      table: {
        columns: [{ header: 'From', width: 2 }, { header: 'To', width: 2 }, { header: 'Reason', width: 6 }, { header: 'Recorded by', width: 2 }],
        rows: s.knownCauses.map((k) => [dayText(k.from), dayText(k.to), k.reason, k.createdByName]),
        empty: 'None.',
      },
    },
    {
      heading: `${headingPrefix}Who looked at this data`,
      table: {
        columns: [{ header: 'When', width: 3 }, { header: 'What', width: 3 }, { header: 'Role', width: 2 }],
        rows: s.accessLog.map((a) => [dateTimeText(a.at, zone), a.action, a.actorRole]),
        empty: 'No views recorded.',
      },
    },
  ];
}
