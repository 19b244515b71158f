import { DateTime } from 'luxon';

// Writes what Moodle's Course › Reports › Logs › Download gives in English: a BOM, PHP-style quoting, newest first.

export interface CourseLogView {
  at: Date;
  userId: string;
  fullName: string;
  /** OULAD's id_site plays the course module id. */
  courseModuleId: string;
  /** OULAD's activity_type (resource, oucontent, forumng, ...). */
  activityType: string;
}

const HEADER = 'Time,"User full name","Affected user","Event context",Component,"Event name",Description,Origin,"IP address"';

/** OULAD activity types as the Moodle activity a course would use for them: component label and module name. */
const MOODLE_ACTIVITY: Record<string, { component: string; modname: string }> = {
  resource: { component: 'File', modname: 'resource' },
  oucontent: { component: 'Page', modname: 'page' },
  subpage: { component: 'Page', modname: 'page' },
  forumng: { component: 'Forum', modname: 'forum' },
  url: { component: 'URL', modname: 'url' },
  quiz: { component: 'Quiz', modname: 'quiz' },
  glossary: { component: 'Glossary', modname: 'glossary' },
  ouwiki: { component: 'Wiki', modname: 'wiki' },
  dataplus: { component: 'Database', modname: 'data' },
  oucollaborate: { component: 'BigBlueButton', modname: 'bigbluebuttonbn' },
};

function quoted(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

function moodleTime(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat('d/MM/yy, HH:mm:ss');
}

function campusAddress(userId: string): string {
  const n = Number(userId) || 0;
  return `10.${20 + (n % 8)}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
}

function logLine(view: CourseLogView, courseId: string, timeZone: string): string {
  const time = quoted(moodleTime(view.at, timeZone));
  const ip = campusAddress(view.userId);
  if (view.activityType === 'homepage') {
    return [time, quoted(view.fullName), '-', quoted(`Course: ${courseId}`), 'System', quoted('Course viewed'),
      quoted(`The user with id '${view.userId}' viewed the course with id '${courseId}'.`), 'web', ip].join(',');
  }
  const activity = MOODLE_ACTIVITY[view.activityType] ?? { component: 'File', modname: 'resource' };
  return [time, quoted(view.fullName), '-', quoted(`${activity.component}: ${activity.component} ${view.courseModuleId}`), activity.component,
    quoted('Course module viewed'),
    quoted(`The user with id '${view.userId}' viewed the '${activity.modname}' activity with course module id '${view.courseModuleId}'.`), 'web', ip].join(',');
}

/** One course log download covering the views given, as UTF-8 bytes. */
export function moodleCourseLog(views: readonly CourseLogView[], courseId: string, timeZone: string): Buffer {
  const newestFirst = [...views].sort((a, b) => b.at.getTime() - a.at.getTime());
  return Buffer.from('\uFEFF' + [HEADER, ...newestFirst.map((v) => logLine(v, courseId, timeZone))].join('\n') + '\n', 'utf8');
}
