import { neutraliseForSpreadsheet } from '../ingest/formats/spreadsheet-safety';

// CSV as spreadsheets read it: every cell quoted, formulas neutralised, CRLF line ends, a BOM so Excel reads UTF-8.

export type CsvCell = string | number | boolean | null | undefined;

function cellText(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  const text = neutraliseForSpreadsheet(String(value));
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(cellText).join(',')}\r\n`;
}

export const CSV_BOM = '\uFEFF';

export function csvText(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  let text = CSV_BOM + csvLine(header);
  for (const row of rows) text += csvLine(row);
  return text;
}
