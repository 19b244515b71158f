import { DateTime } from 'luxon';

// Writes a Microsoft Teams attendance report as Teams does since 2022: UTF-16LE with a BOM, tab separated,
// numbered sections, rows padded with tabs, CRLF line endings, times in the downloader's (UK) format.

export interface TeamsAttendee {
  name: string;
  email: string;
  upn: string;
  joinedAt: Date;
  leftAt: Date;
  role: 'Organizer' | 'Presenter' | 'Attendee';
}

export interface TeamsMeeting {
  title: string;
  startedAt: Date;
  endedAt: Date;
  attendees: readonly TeamsAttendee[];
}

const COLUMNS = 7;

function ukTime(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat('dd/MM/yy, HH:mm:ss');
}

function duration(from: Date, to: Date): string {
  const seconds = Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].filter(Boolean).join(' ') || '0s';
}

function row(cells: string[]): string {
  return [...cells, ...Array<string>(Math.max(0, COLUMNS - cells.length)).fill('')].join('\t');
}

/** `<title> - Attendance report <M-D-YY>.csv`, the name Teams gives the download. */
export function teamsReportFilename(meeting: TeamsMeeting, timeZone: string): string {
  return `${meeting.title} - Attendance report ${DateTime.fromJSDate(meeting.startedAt, { zone: timeZone }).toFormat('M-d-yy')}.csv`;
}

export function teamsAttendanceReport(meeting: TeamsMeeting, timeZone: string): Buffer {
  const attendees = meeting.attendees;
  const averageMs = attendees.reduce((sum, a) => sum + (a.leftAt.getTime() - a.joinedAt.getTime()), 0) / Math.max(1, attendees.length);
  const lines = [
    row(['1. Summary']),
    row(['Meeting title', meeting.title]),
    row(['Attended participants', String(attendees.length)]),
    row(['Start time', ukTime(meeting.startedAt, timeZone)]),
    row(['End time', ukTime(meeting.endedAt, timeZone)]),
    row(['Meeting duration', duration(meeting.startedAt, meeting.endedAt)]),
    row(['Average attendance time', duration(new Date(0), new Date(averageMs))]),
    row([]),
    row(['2. Participants']),
    row(['Name', 'First Join', 'Last Leave', 'In-Meeting Duration', 'Email', 'Participant ID (UPN)', 'Role']),
    ...attendees.map((a) => row([a.name, ukTime(a.joinedAt, timeZone), ukTime(a.leftAt, timeZone), duration(a.joinedAt, a.leftAt), a.email, a.upn, a.role])),
    row([]),
    row(['3. In-Meeting Activities']),
    row(['Name', 'Join Time', 'Leave Time', 'Duration', 'Email', 'Role']),
    ...attendees.map((a) => row([a.name, ukTime(a.joinedAt, timeZone), ukTime(a.leftAt, timeZone), duration(a.joinedAt, a.leftAt), a.email, a.role])),
  ];
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf16le')]);
}
