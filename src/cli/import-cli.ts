import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DUE_DATE_EXAMPLE, readDueDate } from '../ingest/due-date-input';
import { SingleBar, Presets } from 'cli-progress';
import { runCli, withCliDatabase } from './cli-runner';
import { resolveModuleArgument } from './module-argument';
import { runFileImport, isImportFormat, IMPORT_FORMATS } from '../ingest/file-import-run';
import { recomputeModuleAnalysis } from '../reports/module-analysis-service';
import { DEFAULT_BATCH_SIZE } from '../ingest/activity-file-import';

const HELP = `Import an engagement export into a module.

  npm run import -- --module MODULE --format FORMAT [options] FILE

FORMAT is one of: ${IMPORT_FORMATS.join(', ')}
  moodle-course-log         Moodle: Course › Reports › Logs › Download (CSV)
  moodle-logstore           a DBA's export of logstore_standard_log (CSV)
  teams-attendance          Microsoft Teams meeting attendance report (UTF-16, tab separated)
  echo360                   Echo360 student analytics export (CSV)
  moodle-grading-worksheet  Moodle: Assignment › Download grading worksheet (one assignment)
  moodle-gradebook          Moodle: Grades › Export › Plain text file (every assignment)
Options:
  --day-month-order dmy|mdy   how to read 7/09/26: dmy (UK) or mdy (en_US downloads); omitted, the first date
                              with a day above 12 decides, and dmy when none does; a file that contradicts it is refused
  --assignment NAME           grading worksheet: the assignment's name, when the file was renamed
  --due DATE                  grading worksheet: its due date and time, 15/03/2026 17:00 or 2026-03-15T17:00, in the module's time zone (the file has none)
  --batch-size N              events written per round trip (default ${DEFAULT_BATCH_SIZE})
  --quiet                     no progress bar
MODULE is the module id or the Moodle course (context) id. Re-importing the same file adds nothing, and an
import that was interrupted completes when run again.
Exit codes: 0 imported, 1 failed, 2 bad arguments.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      module: { type: 'string' },
      format: { type: 'string' },
      'day-month-order': { type: 'string' },
      assignment: { type: 'string' },
      due: { type: 'string' },
      'batch-size': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const file = positionals[0];
  const format = values.format ?? '';
  const problems: string[] = [];
  if (!file) problems.push('FILE is required');
  else if (!fs.existsSync(file)) problems.push(`no file at ${file}`);
  if (!isImportFormat(format)) problems.push(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
  const order = values['day-month-order'];
  if (order && order !== 'dmy' && order !== 'mdy') problems.push('--day-month-order must be dmy (UK) or mdy (US), or left out for the file to tell');
  const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0)) problems.push('--batch-size must be a whole number above 0');
  // The format is checked before the module (and its time zone) is known; any zone tells a real date from a typo.
  if (values.due && !readDueDate(values.due, 'UTC')) problems.push(`--due must be a date and time like ${DUE_DATE_EXAMPLE}`);
  if (problems.length > 0 || !isImportFormat(format)) {
    console.error(problems.join('\n') + '\n\n' + HELP);
    return 2;
  }
  return withCliDatabase(async () => {
    const module = await resolveModuleArgument(values.module);
    const size = fs.statSync(file!).size;
    const bar = values.quiet ? null : new SingleBar({ format: 'Importing {bar} {percentage}% | {rows} rows' }, Presets.shades_classic);
    // No 'data' listener here: it would start the stream flowing before the importer reads it, losing the start.
    const stream = fs.createReadStream(file!);
    bar?.start(size, 0, { rows: 0 });
    const outcome = await runFileImport(module, stream, {
      format,
      filename: path.basename(file!),
      dayMonthOrder: order as 'dmy' | 'mdy' | undefined,
      assignmentName: values.assignment,
      dueAt: values.due ? readDueDate(values.due, module.timeZone) : null,
      by: { userId: null, name: 'command line' },
      via: 'cli',
      now: () => new Date(),
      batchSize,
      onProgress: (rows) => bar?.update(stream.bytesRead, { rows }),
    });
    bar?.stop();
    if (!outcome.ok) {
      console.error(`Import failed: ${outcome.error}`);
      return 1;
    }
    const report = outcome.report;
    console.log(`Rows read: ${report.rows}`);
    console.log(`Imported: ${report.imported} new; already stored: ${report.alreadyStored}`);
    console.log(`Skipped: ${report.skipped}; unmatched people: ${report.unmatchedCount}; rows with errors: ${report.failedCount}`);
    if (report.droppedColumns.length) console.log(`Columns never stored (special-category data): ${report.droppedColumns.join(', ')}`);
    for (const n of report.notes) console.log(`Note: ${n}`);
    for (const u of report.unmatched.slice(0, 20)) console.log(`  line ${u.line}: no roster member matches ${u.person}`);
    for (const f of report.failed.slice(0, 20)) console.log(`  line ${f.line}: ${f.reason}`);
    if (report.imported > 0) {
      // The stored analysis is what pages and alerts read: bring it up to date now rather than at night.
      const recomputed = await recomputeModuleAnalysis(module.id, new Date()).catch((err: unknown) => {
        console.log(`The data is stored, but the module's alerts could not be recomputed: ${(err as Error).message}`);
        return null;
      });
      if (recomputed) console.log(`Alerts recomputed: ${recomputed.opened} opened, ${recomputed.closed} closed.`);
    }
    console.log(JSON.stringify({ importRun: outcome.runId, rows: report.rows, imported: report.imported, alreadyStored: report.alreadyStored, unmatched: report.unmatchedCount, failed: report.failedCount, skipped: report.skipped }));
    return 0;
  });
}

runCli(main, 'Import failed');
