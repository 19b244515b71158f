import { neutraliseForSpreadsheet } from '../ingest/formats/spreadsheet-safety';
import type { Source } from '../engagement';
import type { LearnerRowView } from './learner-row-view';
import { SOURCE_LABELS } from './staff-wording';

// The learner table as CSV: the same columns and wording as the page, every cell quoted, formulas neutralised.

function cell(value: string | number): string {
  return `"${neutraliseForSpreadsheet(String(value)).replace(/"/g, '""')}"`;
}

function line(cells: ReadonlyArray<string | number>): string {
  return `${cells.map(cell).join(',')}\r\n`;
}

export function learnerTableHeaders(sources: readonly Source[], levelHeading: string): string[] {
  return [
    'Name',
    levelHeading,
    'Change from the week before',
    ...sources.map((s) => `Last access: ${SOURCE_LABELS[s]}`),
    'Assignments submitted',
    'Open alerts',
  ];
}

/** With a BOM so spreadsheet programs read the names' accents correctly. */
export function learnerTableCsv(rows: readonly LearnerRowView[], sources: readonly Source[], levelHeading: string): string {
  let text = '\uFEFF' + line(learnerTableHeaders(sources, levelHeading));
  for (const row of rows) {
    text += line([
      row.name,
      row.level,
      row.trend.text,
      ...row.lastAccess.map((a) => a.text),
      row.assignments,
      row.alerts.map((a) => a.label).join('; ') || 'None',
    ]);
  }
  return text;
}
