import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { runCli, withCliDatabase } from './cli-runner';
import { recordOperatorAudit } from '../governance/audit-log';
import { buildSubjectAccessExport, findPerson, subjectAccessJson, subjectAccessPdf } from '../governance/subject-access-export';
import { findPlatformProfile, listPlatformProfiles } from '../store/platform-repository';
import type { PlatformProfile } from '../store/types';

const HELP = `Subject access export: everything Waymark holds about one person across the modules of one platform.

  npm run export:learner -- --platform PLATFORM --user MOODLE_USER_ID --out FILE [--format json|pdf]

PLATFORM is the platform id or the issuer URL shown by npm run platform:list. The format follows the file name
(.pdf or .json) unless --format says otherwise. The export is recorded in the audit log.
Exit codes: 0 written, 1 failed, 2 bad arguments or unknown platform.`;

async function resolvePlatform(value: string): Promise<PlatformProfile | string> {
  const byId = await findPlatformProfile(value);
  if (byId) return byId;
  const byIssuer = (await listPlatformProfiles()).filter((p) => p.issuer === value.replace(/\/+$/, ''));
  if (byIssuer.length === 1) return byIssuer[0]!;
  if (byIssuer.length > 1) return `Issuer ${value} has ${byIssuer.length} registrations: pass the platform id instead (${byIssuer.map((p) => p.platformId).join(', ')}).`;
  return `No platform ${value}. See npm run platform:list.`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { platform: { type: 'string' }, user: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const format = values.format ?? (values.out?.toLowerCase().endsWith('.pdf') ? 'pdf' : 'json');
  const problems = [
    !values.platform && '--platform is required',
    !values.user && '--user is required',
    !values.out && '--out is required',
    !['json', 'pdf'].includes(format) && '--format must be json or pdf',
  ].filter(Boolean);
  if (problems.length > 0) {
    console.error(`${problems.join('; ')}.\n\n${HELP}`);
    return 2;
  }
  return withCliDatabase(async () => {
    const platform = await resolvePlatform(values.platform!);
    if (typeof platform === 'string') {
      console.error(platform);
      return 2;
    }
    const now = new Date();
    const data = await buildSubjectAccessExport(platform.platformId, values.user!, now);
    fs.writeFileSync(values.out!, format === 'pdf' ? await subjectAccessPdf(data) : subjectAccessJson(data));
    for (const ref of (await findPerson(platform.platformId, values.user!)).refs) {
      await recordOperatorAudit({ platformId: platform.platformId, moduleId: ref.moduleId, actor: 'command-line', learnerMemberId: ref.memberId, action: 'person.export', detail: { format }, at: now });
    }
    console.log(`Wrote ${format.toUpperCase()} for ${data.modules.length} module(s) to ${values.out}.`);
    console.log(JSON.stringify({ platformId: platform.platformId, modules: data.modules.length, format, out: values.out }));
    return 0;
  });
}

runCli(main, 'Export failed');
