import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { openDatabase, ensureIndexes } from '../store/database';
import { ALL_MODELS, RETIRED_INDEXES } from '../store/all-models';
import { createLtiGateway } from '../lti/lti-gateway';
import { registerPlatform, removePlatform, listPlatformProfiles, platformValuesSchema } from '../lti/platform-registration';
import { setRetentionYears } from '../store/platform-repository';
import { renderError } from '../web/error-pages';

const HELP = `Manage the LMS platforms registered with Waymark.

  npm run platform:add -- --issuer URL --client-id ID --auth-url URL --token-url URL --keyset-url URL --deployment ID [--deployment ID2] [--name NAME]
  npm run platform:list
  npm run platform:remove -- --issuer URL --client-id ID
  npm run platform:retention -- --issuer URL --client-id ID --years N
      how many years the platform's data is kept after a student leaves a module (6 unless set; 1 to 20)

Values come from Moodle's tool details (Site administration › Plugins › External tool › Manage tools › the tool's details icon):
  --issuer      Platform ID            --client-id   Client ID
  --auth-url    Authentication request URL
  --token-url   Access token URL       --keyset-url  Public keyset URL
  --deployment  Deployment ID
`;

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      'auth-url': { type: 'string' },
      'token-url': { type: 'string' },
      'keyset-url': { type: 'string' },
      deployment: { type: 'string', multiple: true },
      name: { type: 'string' },
      years: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || !command || !['add', 'list', 'remove', 'retention'].includes(command)) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  if (command === 'add') {
    // Validate before touching the database so a typo costs nothing.
    const parsed = platformValuesSchema.safeParse({
      issuer: values.issuer,
      clientId: values['client-id'],
      authUrl: values['auth-url'],
      tokenUrl: values['token-url'],
      keysetUrl: values['keyset-url'],
      deploymentIds: values.deployment ?? [],
      name: values.name ?? 'Moodle',
    });
    if (!parsed.success) {
      console.error('Cannot add the platform:\n' + parsed.error.issues.map((i) => `  --${flagName(String(i.path[0]))}: ${i.message}`).join('\n'));
      return 2;
    }
  }
  const years = command === 'retention' ? retentionYears(values) : null;
  if (command === 'retention' && years === null) return 2;
  const config = loadConfig();
  const db = await openDatabase({ uri: config.mongodbUri, embeddedPath: config.embeddedDbPath });
  try {
    await ensureIndexes(ALL_MODELS, RETIRED_INDEXES);
    const gateway = await createLtiGateway({ ...config, mongodbUri: db.uri }, { renderError, onLaunch: () => undefined });
    if (command === 'list') {
      const profiles = await listPlatformProfiles();
      if (profiles.length === 0) console.log('No platforms registered.');
      for (const p of profiles) console.log(`${p.issuer}\tclient ${p.clientId}\tdeployments ${p.deploymentIds.join(',')}\t(${p.registeredBy})\tkept ${p.retentionYearsAfterLeaving} years after leaving`);
      return 0;
    }
    if (command === 'retention') {
      const set = await setRetentionYears(values.issuer!, values['client-id']!, years!);
      console.log(set ? `Data of ${values.issuer} (client ${values['client-id']}) is now kept ${years} years after a student leaves.` : 'No such platform.');
      return set ? 0 : 1;
    }
    if (command === 'remove') {
      if (!values.issuer || !values['client-id']) {
        console.error('remove needs --issuer and --client-id');
        return 2;
      }
      const removed = await removePlatform(gateway, values.issuer, values['client-id']);
      console.log(removed ? 'Removed.' : 'No such platform.');
      return removed ? 0 : 1;
    }
    const profile = await registerPlatform(
      gateway,
      {
        issuer: values.issuer!,
        clientId: values['client-id']!,
        authUrl: values['auth-url']!,
        tokenUrl: values['token-url']!,
        keysetUrl: values['keyset-url']!,
        deploymentIds: values.deployment ?? [],
        name: values.name ?? 'Moodle',
      },
      'cli',
    );
    console.log(`Registered ${profile.issuer} (client ${profile.clientId}, deployments ${profile.deploymentIds.join(', ')}).`);
    return 0;
  } finally {
    await db.close();
  }
}

/** The --years of the retention command, checked before the database is opened; null (after saying why) if unusable. */
function retentionYears(values: { issuer?: string; 'client-id'?: string; years?: string }): number | null {
  const problems: string[] = [];
  if (!values.issuer || !values['client-id']) problems.push('  --issuer and --client-id: name the platform, as platform:list shows it.');
  const years = Number(values.years);
  if (!/^\d+$/.test(values.years ?? '') || years < 1 || years > 20) problems.push(`  --years: give a whole number of years from 1 to 20 (the policies keep data 6 years after leaving), not "${values.years ?? ''}".`);
  if (problems.length === 0) return years;
  console.error('Cannot set the retention:\n' + problems.join('\n'));
  return null;
}

function flagName(key: string): string {
  return ({ clientId: 'client-id', authUrl: 'auth-url', tokenUrl: 'token-url', keysetUrl: 'keyset-url', deploymentIds: 'deployment' } as Record<string, string>)[key] ?? key;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  },
);
