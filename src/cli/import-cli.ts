import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { runCli, withCliDatabase } from './cli-runner';
import { resolveModuleArgument } from './module-argument';
import { importActivityFile, ACTIVITY_FORMATS, type ActivityFormat } from '../ingest/activity-file-import';

const HELP = `Import an engagement export into a module.

  npm run import -- --module MODULE --format FORMAT [--day-month-order dmy|mdy] FILE

FORMAT is one of: ${ACTIVITY_FORMATS.join(', ')}
  moodle-course-log   Moodle: Course › Reports › Logs › Download (CSV)
  moodle-logstore     a DBA's export of logstore_standard_log (CSV)
  teams-attendance    Microsoft Teams meeting attendance report (UTF-16, tab separated)
  echo360             Echo360 student analytics export (CSV)
MODULE is the module id or the Moodle course (context) id. Re-importing the same file adds nothing.
Exit codes: 0 imported, 1 failed, 2 bad arguments.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      module: { type: 'string' },
      format: { type: 'string' },
      'day-month-order': { type: 'string' },
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
  const format = values.format as ActivityFormat | undefined;
  const problems: string[] = [];
  if (!file) problems.push('FILE is required');
  else if (!fs.existsSync(file)) problems.push(`no file at ${file}`);
  if (!format || !ACTIVITY_FORMATS.includes(format)) problems.push(`--format must be one of ${ACTIVITY_FORMATS.join(', ')}`);
  const order = values['day-month-order'];
  if (order && order !== 'dmy' && order !== 'mdy') problems.push('--day-month-order must be dmy (UK, default) or mdy (US)');
  if (problems.length > 0) {
    console.error(problems.join('\n') + '\n\n' + HELP);
    return 2;
  }
  return withCliDatabase(async () => {
    const module = await resolveModuleArgument(values.module);
    const size = fs.statSync(file!).size;
    const bar = values.quiet ? null : new SingleBar({ format: 'Importing {bar} {percentage}% | {rows} rows' }, Presets.shades_classic);
    const stream = fs.createReadStream(file!);
    let bytes = 0;
    stream.on('data', (chunk) => (bytes += chunk.length));
    bar?.start(size, 0, { rows: 0 });
    const report = await importActivityFile(module, stream, {
      format: format!,
      filename: path.basename(file!),
      dayMonthOrder: order as 'dmy' | 'mdy' | undefined,
      importId: crypto.randomUUID(),
      onProgress: (rows) => bar?.update(bytes, { rows }),
    });
    bar?.update(size, { rows: report.rows });
    bar?.stop();
    console.log(`Rows read: ${report.rows}`);
    console.log(`Imported: ${report.imported} new events; already stored: ${report.alreadyStored}`);
    console.log(`Skipped (not engagement): ${report.skipped}; unmatched people: ${report.unmatchedCount}; rows with errors: ${report.failedCount}`);
    if (report.droppedColumns.length) console.log(`Columns never stored (special-category data): ${report.droppedColumns.join(', ')}`);
    for (const n of report.notes) console.log(`Note: ${n}`);
    for (const u of report.unmatched.slice(0, 20)) console.log(`  line ${u.line}: no roster member matches ${u.person}`);
    for (const f of report.failed.slice(0, 20)) console.log(`  line ${f.line}: ${f.reason}`);
    console.log(JSON.stringify({ rows: report.rows, imported: report.imported, alreadyStored: report.alreadyStored, unmatched: report.unmatchedCount, failed: report.failedCount, skipped: report.skipped }));
    return 0;
  });
}

runCli(main, 'Import failed');
