import type { Member, Module } from '../store/types';
import { csvText } from './csv-text';
import { collectLearnerRecords, type LearnerRecords } from './learner-records';
import { LEARNER_CSV_HEADER, learnerRecordRows } from './learner-records-csv';
import { learnerRecordSections } from './learner-records-document';
import { renderPdf } from './pdf-document';
import { dateTimeText } from './record-wording';

// "Download my data": the student's engagement data in this module, as JSON, CSV and PDF (staff records are not in it).

export const STUDENT_EXPORT_NOTE =
  'This is your engagement data in this module: your details from Moodle, each activity record Waymark received, your ' +
  'daily totals and weekly engagement level, assignments and any reports you sent about incorrect data. Engagement is ' +
  'never part of your assessment. It does not include what staff record for themselves: prompts to get in touch, notes ' +
  'of supportive contacts and visa-compliance information. You can ask for those, with everything else Waymark holds ' +
  'about you, through a subject access request; a tutor may go through them with you, so that they come with ' +
  'context.';

export interface StudentDataExport {
  title: string;
  note: string;
  generatedAt: Date;
  records: LearnerRecords;
}

export type ExportFormat = 'json' | 'csv' | 'pdf';

export async function buildStudentDataExport(module: Module, member: Member, now: Date): Promise<StudentDataExport> {
  return { title: 'Your engagement data', note: STUDENT_EXPORT_NOTE, generatedAt: now, records: await collectLearnerRecords(module, member, 'student', now) };
}

export function studentExportJson(e: StudentDataExport): string {
  const { staffOnly: _staffOnly, ...records } = e.records;
  return JSON.stringify({ title: e.title, note: e.note, generatedAt: e.generatedAt, ...records }, null, 2);
}

export function studentExportCsv(e: StudentDataExport): string {
  return csvText(LEARNER_CSV_HEADER, learnerRecordRows(e.records, e.note));
}

export function studentExportPdf(e: StudentDataExport): Promise<Buffer> {
  const r = e.records;
  return renderPdf(
    {
      title: e.title,
      subtitle: [
        `Module: ${r.module.title || r.module.label} (Moodle course ${r.module.courseId})`,
        `For: ${r.person.name || `Moodle user ${r.person.moodleUserId}`}`,
        `Generated: ${dateTimeText(e.generatedAt, r.module.timeZone)}`,
      ],
      note: e.note,
      sections: learnerRecordSections(r),
    },
    e.generatedAt,
  );
}

/** A file name that says what it is and names no one. */
export function studentExportFileName(module: Module, format: ExportFormat, now: Date): string {
  const course = (module.label || module.contextId).replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'module';
  return `waymark-my-data-${course}-${now.toISOString().slice(0, 10)}.${format}`;
}
