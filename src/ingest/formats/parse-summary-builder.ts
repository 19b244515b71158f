import type { ParseSummary, RowResult } from './parsed-records';

/** Counts rows as a parser yields them; repeated notes are counted, not repeated. */
export class ParseSummaryBuilder {
  private rows = 0;
  private okRows = 0;
  private failedRows = 0;
  private skippedRows = 0;
  private readonly dropped: string[] = [];
  private readonly notes: string[] = [];
  private readonly counted = new Map<string, { count: number; describe: (count: number) => string }>();

  constructor(private format: string) {}

  setFormat(format: string): void {
    this.format = format;
  }

  ok<T>(line: number, value: T): RowResult<T> {
    this.rows++;
    this.okRows++;
    return { ok: true, line, value };
  }

  fail(line: number, reason: string): RowResult<never> {
    this.rows++;
    this.failedRows++;
    return { ok: false, line, reason };
  }

  /** A failure that is not a data row (a CSV syntax error spanning lines). */
  failWithoutRow(line: number, reason: string): RowResult<never> {
    this.failedRows++;
    return { ok: false, line, reason };
  }

  /** A row deliberately left out; `key` groups the note, `describe` words it for the final count. */
  skip(key: string, describe: (count: number) => string): void {
    this.rows++;
    this.skippedRows++;
    this.count(key, describe);
  }

  /** A counted note that does not change row counts. */
  count(key: string, describe: (count: number) => string): void {
    const entry = this.counted.get(key);
    if (entry) entry.count++;
    else this.counted.set(key, { count: 1, describe });
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  drop(columns: string[]): void {
    for (const column of columns) if (!this.dropped.includes(column)) this.dropped.push(column);
  }

  build(): ParseSummary {
    return {
      format: this.format,
      rows: this.rows,
      ok: this.okRows,
      failed: this.failedRows,
      skipped: this.skippedRows,
      droppedColumns: [...this.dropped],
      notes: [...this.notes, ...[...this.counted.values()].map(({ count, describe }) => describe(count))],
    };
  }
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
