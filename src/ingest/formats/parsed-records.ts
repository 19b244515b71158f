// What every format parser hands to the importers: plain records, one RowResult per data row, and a summary.

/** Who a row is about. Importers match it to a Member: Moodle user id first, then email/username, then unique name. */
export interface PersonRef {
  moodleUserId?: string;
  fullName?: string;
  email?: string;
  username?: string;
  idNumber?: string;
}

export type RowResult<T> =
  | { ok: true; line: number; value: T }
  | { ok: false; line: number; /** says what is wrong and what to fix */ reason: string };

export type ActivitySource = 'vle' | 'meeting' | 'recording' | 'assignment';

/** Becomes an EngagementEvent, unique per (source, sourceId). */
export interface ActivityRecord {
  source: ActivitySource;
  /** Stable across re-imports of the same data. */
  sourceId: string;
  /** An instant (UTC). */
  occurredAt: Date;
  person: PersonRef;
  count: number;
  minutes: number;
  /** Event name, component, context, ids. Never special-category data. */
  detail: Record<string, string | number | null>;
}

/** Canonical submission states; `graded`/`not-graded` come from the gradebook, which has no submission column. */
export type AssignmentStatus = 'no-submission' | 'draft' | 'submitted' | 'reopened' | 'graded' | 'not-graded';

export interface AssignmentStatusRecord {
  assignmentName: string;
  person: PersonRef;
  submitted: boolean;
  submittedAt: Date | null;
  /** true: submitted late or overdue without a submission; false: submitted on time; null: not known. */
  late: boolean | null;
  extensionUntil: Date | null;
  status: AssignmentStatus;
  /** Worksheet `Participant 123456`: the assignment's own participant number, NOT the Moodle user id. */
  participantId?: string;
  /** Gradebook item type (`Assignment`, `Quiz`, ...), since item names repeat across types. */
  activityType?: string;
}

export interface ParseSummary {
  format: string;
  /** Results: ok + failed + skipped. One per data row, except a gradebook row (one per grade item) and Teams (one per person). */
  rows: number;
  ok: number;
  failed: number;
  /** Rows deliberately left out (not a participant's engagement); each reason is counted in `notes`. */
  skipped: number;
  /** Special-category columns: never read, never stored. */
  droppedColumns: string[];
  notes: string[];
}

export interface ParseResult<T> {
  /** Iterate once; the file is read as you iterate. */
  rows: AsyncIterable<RowResult<T>>;
  /** Complete once `rows` has been fully iterated. */
  summary(): ParseSummary;
}

export type IngestInput = NodeJS.ReadableStream | Buffer;

export type DayMonthOrder = 'dmy' | 'mdy';

/** The whole file cannot be read as this format (unknown header, missing option). Message is for people. */
export class FileFormatError extends Error {
  constructor(
    readonly code: 'unrecognised-header' | 'missing-option' | 'invalid-option',
    message: string,
  ) {
    super(message);
    this.name = 'FileFormatError';
  }
}
