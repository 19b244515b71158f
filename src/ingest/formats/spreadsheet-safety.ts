// Moodle's CSV writer puts `'` before a cell starting with = + - @ so spreadsheets do not run it as a formula.
// We store the real value; anything Waymark writes back out as CSV must call neutraliseForSpreadsheet again.

const MOODLE_ESCAPED = /^'[=+\-@]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** `'=SUM(A1)` -> `=SUM(A1)`; everything else unchanged. */
export function undoMoodleFormulaEscape(cell: string): string {
  return MOODLE_ESCAPED.test(cell) ? cell.slice(1) : cell;
}

/** For our own CSV exports: prefix `'` to anything a spreadsheet would treat as a formula. */
export function neutraliseForSpreadsheet(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}
