// Reads one OULAD module presentation (the original column names) into plain records, streaming the
// large studentVle.csv so a full OULAD download works as well as a one-presentation folder.
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';

export type Row = Record<string, string>;

export interface OuladStudent {
  id: string;
  registrationDay: number | null;
  unregistrationDay: number | null;
  finalResult: string | null;
}

export interface OuladAssessment {
  id: string;
  type: string;
  dueDay: number | null;
}

export interface OuladSubmission {
  assessmentId: string;
  studentId: string;
  day: number;
  banked: boolean;
}

export interface OuladPresentation {
  module: string;
  presentation: string;
  lengthDays: number;
  students: OuladStudent[];
  assessments: OuladAssessment[];
  submissions: OuladSubmission[];
  /** Clicks per student per day, summed over VLE resources. */
  clicks: Array<{ studentId: string; day: number; clicks: number }>;
}

export async function eachRow(path: string, onRow: (row: Row) => void): Promise<void> {
  const parser = createReadStream(path).pipe(parse({ columns: true, skip_empty_lines: true, trim: true, bom: true }));
  for await (const row of parser) onRow(row as Row);
}

function dayOrNull(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '' || value === '?') return null;
  const day = Number(value);
  return Number.isFinite(day) ? day : null;
}

function ofPresentation(row: Row, module: string, presentation: string): boolean {
  return (row.code_module ?? module) === module && (row.code_presentation ?? presentation) === presentation;
}

/** The first presentation in courses.csv unless one is named. */
async function choosePresentation(folder: string, wanted?: { module: string; presentation: string }) {
  const courses: Row[] = [];
  await eachRow(join(folder, 'courses.csv'), (row) => courses.push(row));
  const course = wanted ? courses.find((row) => row.code_module === wanted.module && row.code_presentation === wanted.presentation) : courses[0];
  if (!course) throw new Error(`no matching presentation in ${join(folder, 'courses.csv')}`);
  return { module: course.code_module ?? '', presentation: course.code_presentation ?? '', lengthDays: Number(course.module_presentation_length) };
}

export async function readPresentation(folder: string, wanted?: { module: string; presentation: string }): Promise<OuladPresentation> {
  for (const file of ['courses.csv', 'studentInfo.csv', 'studentRegistration.csv', 'assessments.csv', 'studentAssessment.csv', 'studentVle.csv']) {
    if (!existsSync(join(folder, file))) throw new Error(`${join(folder, file)} is missing: the folder needs the OULAD CSVs`);
  }
  const { module, presentation, lengthDays } = await choosePresentation(folder, wanted);
  const students = new Map<string, OuladStudent>();
  const student = (id: string) => {
    let found = students.get(id);
    if (!found) students.set(id, (found = { id, registrationDay: null, unregistrationDay: null, finalResult: null }));
    return found;
  };
  await eachRow(join(folder, 'studentInfo.csv'), (row) => {
    if (ofPresentation(row, module, presentation) && row.id_student) student(row.id_student).finalResult = row.final_result || null;
  });
  await eachRow(join(folder, 'studentRegistration.csv'), (row) => {
    if (!ofPresentation(row, module, presentation) || !row.id_student) return;
    const entry = student(row.id_student);
    entry.registrationDay = dayOrNull(row.date_registration);
    entry.unregistrationDay = dayOrNull(row.date_unregistration);
  });
  const assessments: OuladAssessment[] = [];
  await eachRow(join(folder, 'assessments.csv'), (row) => {
    if (ofPresentation(row, module, presentation) && row.id_assessment) {
      assessments.push({ id: row.id_assessment, type: row.assessment_type ?? '', dueDay: dayOrNull(row.date) });
    }
  });
  const assessmentIds = new Set(assessments.map((a) => a.id));
  const submissions: OuladSubmission[] = [];
  await eachRow(join(folder, 'studentAssessment.csv'), (row) => {
    const day = dayOrNull(row.date_submitted);
    if (row.id_assessment && assessmentIds.has(row.id_assessment) && row.id_student && day !== null) {
      submissions.push({ assessmentId: row.id_assessment, studentId: row.id_student, day, banked: row.is_banked === '1' });
    }
  });
  const clicksByStudentDay = new Map<string, number>();
  await eachRow(join(folder, 'studentVle.csv'), (row) => {
    if (!ofPresentation(row, module, presentation) || !row.id_student) return;
    const day = dayOrNull(row.date);
    const clicks = Number(row.sum_click);
    if (day === null || !(clicks > 0)) return;
    const key = `${row.id_student}|${day}`;
    clicksByStudentDay.set(key, (clicksByStudentDay.get(key) ?? 0) + clicks);
  });
  const clicks = [...clicksByStudentDay].map(([key, total]) => {
    const [studentId, day] = key.split('|');
    return { studentId: studentId ?? '', day: Number(day), clicks: total };
  });
  return { module, presentation, lengthDays, students: [...students.values()], assessments, submissions, clicks };
}
