// Writes Echo360's class analytics per-student export: every field quoted, one row per student per class.

export interface Echo360ClassRow {
  name: string;
  email: string;
  userId: string;
  section: string;
  classTitle: string;
  /** YYYY-MM-DD */
  lessonDate: string;
  videoViews: number;
}

const HEADER = [
  'Student Name', 'Student Email', 'Student User ID', 'Section Name', 'Class', 'Lesson Date', 'Total Engagement', 'Weighted Engagement %',
  'Attendance %', 'Video Views', 'Video View %', 'Total Slides in Deck', 'Slide Deck Views', 'Slides Viewed Count', 'Poll Question Count',
  'Poll Responses Total', 'Poll Response Correct Count', 'Poll Response Incorrect Count', 'Note Events', 'Q&A Events', 'Confusion Flags Enabled',
];

function quoted(value: string | number): string {
  return `"${String(value).replace(/"/g, '""')}"`;
}

export function echo360ClassAnalytics(rows: readonly Echo360ClassRow[]): Buffer {
  const lines = rows.map((r) => {
    const viewPercent = r.videoViews > 0 ? Math.min(100, 40 + r.videoViews * 20) : 0;
    return [r.name, r.email, r.userId, r.section, r.classTitle, r.lessonDate, r.videoViews * 3, viewPercent / 2, r.videoViews > 0 ? 100 : 0,
      r.videoViews, viewPercent, 24, r.videoViews * 6, Math.min(24, r.videoViews * 8), 0, 0, 0, 0, 0, 0, 0].map(quoted).join(',');
  });
  return Buffer.from([HEADER.map(quoted).join(','), ...lines].join('\n') + '\n', 'utf8');
}
