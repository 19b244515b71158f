// Builds English Moodle course-log CSV text (Course › Reports › Logs › Download) for tests.

export interface LogRow {
  at: Date; // shown in Europe/London like Moodle's download
  userId: string;
  fullName: string;
  cmid?: number;
}

const HEADER = 'Time,"User full name","Affected user","Event context",Component,"Event name",Description,Origin,"IP address"';

function londonTime(d: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', day: 'numeric', month: '2-digit', year: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('day')}/${get('month')}/${get('year')}, ${get('hour')}:${get('minute')}:${get('second')}`;
}

export function moodleLogLine(r: LogRow): string {
  const cmid = r.cmid ?? 643;
  return `"${londonTime(r.at)}","${r.fullName}",-,"Page: Week notes",Page,"Course module viewed","The user with id '${r.userId}' viewed the 'page' activity with course module id '${cmid}'.",web,10.0.0.1`;
}

export function moodleLogCsv(rows: LogRow[], extraLines: string[] = []): string {
  // Moodle writes a BOM and newest rows first.
  const sorted = [...rows].sort((a, b) => b.at.getTime() - a.at.getTime());
  return '\uFEFF' + [HEADER, ...sorted.map(moodleLogLine), ...extraLines].join('\n') + '\n';
}
