// The OULAD activity as Waymark would hold it: written as the Moodle course log a module team downloads, imported
// through the same importer as the staff upload page, and read back from the daily rollups the analysis uses.
import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { addDays, type DailyActivity, type DayKey } from '../../src/engagement';
import { openDatabase, ensureIndexes } from '../../src/store/database';
import { ALL_MODELS, RETIRED_INDEXES } from '../../src/store/all-models';
import { upsertModuleFromLaunch } from '../../src/store/module-repository';
import { applyRoster, listMembers } from '../../src/store/member-repository';
import { listModuleRollups } from '../../src/store/daily-activity-repository';
import { importActivityFile } from '../../src/ingest/activity-file-import';
import { moodleCourseLog } from '../demo/moodle-course-log-writer';
import type { OuladPresentation } from './oulad-csv';

const COURSE_ID = '2013';
/** OULAD gives days only: each student-day becomes one page view at 10:00 in the module's time zone. */
const VIEW_HOUR = 10;

export interface ImportedActivity {
  activity: Array<DailyActivity & { dayNumber: number }>;
  logRows: number;
  eventsStored: number;
  unmatched: number;
  database: string;
}

/** Imports the presentation's VLE activity into a fresh database of its own (dropped afterwards). */
export async function vleActivityThroughImporters(data: OuladPresentation, start: DayKey, timeZone: string, mongodbUri: string | undefined): Promise<ImportedActivity> {
  const dbName = `waymark_eval_${crypto.randomBytes(4).toString('hex')}`;
  const db = await openDatabase({ uri: mongodbUri, embeddedPath: `./data/eval-${dbName}`, dbName });
  try {
    await ensureIndexes(ALL_MODELS, RETIRED_INDEXES);
    const module = await upsertModuleFromLaunch({ platformId: 'oulad-eval', contextId: COURSE_ID, deploymentId: '1', title: `${data.module} ${data.presentation}`, label: data.module, nrpsUrl: null, agsLineItemsUrl: null });
    await applyRoster(
      module.id,
      data.students.map((s) => ({ userId: s.id, name: `Student ${s.id}`, givenName: 'Student', familyName: s.id, email: `${s.id}@student.example`, sourcedId: '', roles: ['Learner'], status: 'active' as const })),
      new Date(`${addDays(start, -30)}T00:00:00Z`),
    );
    const views = data.clicks.map((c) => ({
      at: new Date(`${addDays(start, c.day)}T${String(VIEW_HOUR).padStart(2, '0')}:00:00Z`),
      userId: c.studentId,
      fullName: `Student ${c.studentId}`,
      courseModuleId: 'course',
      activityType: 'homepage',
    }));
    const report = await importActivityFile(module, moodleCourseLog(views, COURSE_ID, timeZone), { format: 'moodle-course-log', importId: `eval-${dbName}`, dayMonthOrder: 'dmy' });
    const studentOf = new Map((await listMembers(module.id)).map((m) => [m.id, m.userId]));
    const dayNumber = (day: DayKey) => Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
    const activity = (await listModuleRollups(module.id))
      .map((r) => ({ memberId: studentOf.get(r.memberId) ?? r.memberId, day: r.day, source: r.source, count: r.count, minutes: r.minutes, dayNumber: dayNumber(r.day) }))
      .sort((a, b) => a.dayNumber - b.dayNumber);
    return { activity, logRows: report.rows, eventsStored: report.imported + report.alreadyStored, unmatched: report.unmatchedCount, database: db.embedded ? 'embedded MongoDB' : 'MONGODB_URI' };
  } finally {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await db.close();
  }
}
