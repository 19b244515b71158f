import { parseArgs } from 'node:util';
import { runCli, withCliDatabase } from './cli-runner';
import { purgeExpiredMembers, type RetentionPurgeResult } from '../governance/retention-purge';

const HELP = `Remove data past retention: members who left their module more than N years ago (N per platform, default 6),
with their activity, rollups, submissions, alerts, supportive contacts, known causes, reports and audit entries.

  npm run purge                           dry run (the default): reports what would be removed, changes nothing
  npm run purge -- --apply                removes it
  npm run purge -- --platform PLATFORM_ID only this platform (see npm run platform:list)

Prints counts only, never names or content; the last line is JSON. Exit codes: 0 done, 1 failed, 2 bad arguments.`;

function report(result: RetentionPurgeResult): void {
  const verb = result.dryRun ? 'Would remove' : 'Removed';
  for (const p of result.platforms) {
    console.log(`${p.platformId}: retention ${p.retentionYears} years after leaving (left before ${p.cutoff.toISOString().slice(0, 10)}).`);
    console.log(`  ${verb} ${p.members} member record(s): ${p.counts.events} activity records, ${p.counts.dailyActivity} daily totals, ${p.counts.submissions} submissions, ` +
      `${p.counts.alerts} alerts, ${p.counts.interventions} supportive contacts, ${p.counts.knownCauses} known causes, ${p.counts.dataReports} reports, ${p.counts.auditEntries} audit entries.`);
  }
  if (result.platforms.length === 0) console.log('No platform has modules yet: nothing to do.');
  if (result.dryRun) console.log('Dry run: nothing was changed. Run again with --apply to remove it.');
  console.log(JSON.stringify({ dryRun: result.dryRun, at: result.at.toISOString(), platforms: result.platforms.map((p) => ({ platformId: p.platformId, retentionYears: p.retentionYears, cutoff: p.cutoff.toISOString(), ...p.counts })), totals: result.totals }));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { 'dry-run': { type: 'boolean' }, apply: { type: 'boolean' }, platform: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.apply && values['dry-run']) {
    console.error('Choose either --dry-run or --apply, not both.');
    return 2;
  }
  return withCliDatabase(async () => {
    report(await purgeExpiredMembers({ now: new Date(), dryRun: !values.apply, platformId: values.platform, actor: 'command-line' }));
    return 0;
  });
}

runCli(main, 'Retention purge failed');
