import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { ParseResult, ParseSummary, RowResult } from '../../../src/ingest/formats/parsed-records';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'ingest');

export function fixtureStream(relativePath: string): NodeJS.ReadableStream {
  return createReadStream(join(FIXTURES, relativePath), { highWaterMark: 64 });
}

export interface Collected<T> {
  rows: RowResult<T>[];
  values: T[];
  failures: { line: number; reason: string }[];
  summary: ParseSummary;
}

export async function collect<T>(result: ParseResult<T>): Promise<Collected<T>> {
  const rows: RowResult<T>[] = [];
  for await (const row of result.rows) rows.push(row);
  return {
    rows,
    values: rows.flatMap((row) => (row.ok ? [row.value] : [])),
    failures: rows.flatMap((row) => (row.ok ? [] : [{ line: row.line, reason: row.reason }])),
    summary: result.summary(),
  };
}
