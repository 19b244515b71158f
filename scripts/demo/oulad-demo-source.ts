// The real activity behind the demo: OULAD module AAA 2013J (CC BY 4.0, see oulad/AAA_2013J/README.md).
import path from 'node:path';
import { eachRow } from '../eval/oulad-csv';

export const DEFAULT_OULAD_FOLDER = path.resolve(__dirname, 'oulad/AAA_2013J');

/** One studentVle row: a student's clicks on one VLE resource on one day. */
export interface OuladVisit {
  day: number;
  siteId: string;
  activityType: string;
  clicks: number;
}

export interface OuladSubmission {
  assessmentId: string;
  day: number;
  score: number | null;
}

export interface OuladStudentActivity {
  studentId: string;
  visits: OuladVisit[];
  submissions: OuladSubmission[];
}

export interface OuladAssessmentDue {
  id: string;
  dueDay: number;
}

export interface OuladDemoSource {
  /** Students with VLE activity inside the term, in a fixed order (by OULAD id). */
  students: OuladStudentActivity[];
  /** Assessments (not exams) due inside the term. */
  assessments: OuladAssessmentDue[];
}

function whole(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Reads the days [0, termDays) of the presentation in `folder` (the original OULAD file and column names). */
export async function readOuladForDemo(folder: string, termDays: number): Promise<OuladDemoSource> {
  const activityTypes = new Map<string, string>();
  await eachRow(path.join(folder, 'vle.csv'), (row) => activityTypes.set(row.id_site ?? '', row.activity_type ?? 'resource'));

  const assessments: OuladAssessmentDue[] = [];
  await eachRow(path.join(folder, 'assessments.csv'), (row) => {
    const due = whole(row.date);
    if (row.id_assessment && row.assessment_type !== 'Exam' && due !== null && due >= 0 && due < termDays) assessments.push({ id: row.id_assessment, dueDay: due });
  });
  assessments.sort((a, b) => a.dueDay - b.dueDay);

  const students = new Map<string, OuladStudentActivity>();
  const student = (id: string) => {
    let found = students.get(id);
    if (!found) students.set(id, (found = { studentId: id, visits: [], submissions: [] }));
    return found;
  };
  await eachRow(path.join(folder, 'studentVle.csv'), (row) => {
    const day = whole(row.date);
    const clicks = whole(row.sum_click);
    if (!row.id_student || !row.id_site || day === null || day < 0 || day >= termDays || !clicks || clicks <= 0) return;
    student(row.id_student).visits.push({ day, siteId: row.id_site, activityType: activityTypes.get(row.id_site) ?? 'resource', clicks });
  });

  const due = new Set(assessments.map((a) => a.id));
  await eachRow(path.join(folder, 'studentAssessment.csv'), (row) => {
    const day = whole(row.date_submitted);
    const found = row.id_student ? students.get(row.id_student) : undefined;
    if (!found || !row.id_assessment || !due.has(row.id_assessment) || day === null || day >= termDays || row.is_banked === '1') return;
    found.submissions.push({ assessmentId: row.id_assessment, day: Math.max(day, 0), score: whole(row.score) });
  });

  const ordered = [...students.values()].sort((a, b) => Number(a.studentId) - Number(b.studentId));
  for (const s of ordered) s.visits.sort((a, b) => a.day - b.day || Number(a.siteId) - Number(b.siteId));
  return { students: ordered, assessments };
}
