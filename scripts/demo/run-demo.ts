// `npm run demo`: Waymark, a simulated Moodle and a seeded module, with links that launch into it for real.
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../../src/config';
import { createLogger } from '../../src/logger';
import { openDatabase, ensureIndexes, leaveReconnectingToTheDriver } from '../../src/store/database';
import { ALL_MODELS, RETIRED_INDEXES } from '../../src/store/all-models';
import { buildApp } from '../../src/app';
import { startTestPlatform } from '../../test/platform';
import { registerWithEachOther } from './demo-registration';
import { seedDemoModule, DEFAULT_DEMO_LEARNERS } from './seed-demo-module';
import { demoLinks } from './demo-links';

const HELP = `Start Waymark with a demo Moodle and a seeded module, then print links that launch into it.

  npm run demo [-- --learners N] [--platform-port PORT] [--files DIR]

  --learners N          learners in the demo module (default ${DEFAULT_DEMO_LEARNERS})
  --platform-port PORT  where the demo Moodle listens on 127.0.0.1 (default 8100)
  --files DIR           where the generated export files are written (default ./data/demo-files)

Waymark listens on PORT (default 3000) at PUBLIC_URL (default http://localhost:PORT). Without MONGODB_URI it
starts an embedded MongoDB under EMBEDDED_DB_PATH; the demo keeps its data in the database "waymark_demo", and
running it again adds nothing twice. Stop it with Ctrl+C.`;

const DEMO_DATABASE = 'waymark_demo';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      learners: { type: 'string' },
      'platform-port': { type: 'string' },
      files: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const learners = Number(values.learners ?? DEFAULT_DEMO_LEARNERS);
  const platformPort = Number(values['platform-port'] ?? 8100);
  if (!Number.isInteger(learners) || learners < 1 || learners > 20_000) {
    console.error(`--learners must be a whole number from 1 to 20000\n\n${HELP}`);
    return 2;
  }
  if (!Number.isInteger(platformPort) || platformPort < 1 || platformPort > 65535) {
    console.error(`--platform-port must be a port number\n\n${HELP}`);
    return 2;
  }

  // The demo signs in to its own registration page, so it needs an admin secret; one is made up when none is set.
  const adminSecret = process.env.ADMIN_SECRET ?? crypto.randomBytes(12).toString('base64url');
  const port = process.env.PORT ?? '3000';
  const config = loadConfig({ ...process.env, ADMIN_SECRET: adminSecret, PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}` });
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);

  console.log(config.mongodbUri ? 'Connecting to MONGODB_URI…' : 'Starting the embedded MongoDB (the first run downloads it)…');
  const db = await openDatabase({ uri: config.mongodbUri, embeddedPath: config.embeddedDbPath, dbName: DEMO_DATABASE });
  await ensureIndexes(ALL_MODELS, RETIRED_INDEXES);
  const waymark = await buildApp({ ...config, mongodbUri: db.uri }, logger);
  leaveReconnectingToTheDriver((err) => logger.warn({ reason: err.message }, 'database connection error'));
  const server = http.createServer(waymark.app);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.port, config.host, resolve));

  const platform = await startTestPlatform({ host: '127.0.0.1', port: platformPort, name: 'Demo Moodle (simulated)', nrpsPageSize: 500, agsPageSize: 500 });
  const registration = await registerWithEachOther(platform, config.publicUrl, adminSecret);
  console.log(`Waymark at ${config.publicUrl} and the demo Moodle at ${platform.issuer} are registered with each other.`);

  const seeded = await seedDemoModule({
    platform,
    registration,
    learners,
    saveFilesTo: path.resolve(values.files ?? 'data/demo-files'),
    log: (line) => console.log(`  ${line}`),
  });

  console.log(`\nThe demo is ready: ${seeded.module.title}, ${seeded.cohort.learners.length} learners, term starting ${seeded.term.start} (seeded in ${seeded.seconds} s).`);
  console.log('Open these links in a browser. Each one is a course page of the demo Moodle that performs a real LTI 1.3 launch:\n');
  for (const link of demoLinks(platform.issuer, registration.clientId, seeded.cohort)) console.log(`  ${link.who}, ${link.person.name}:\n    ${link.url}\n`);
  console.log(`Registration page: ${config.publicUrl}/admin/registration (admin secret: ${process.env.ADMIN_SECRET ? 'your ADMIN_SECRET' : adminSecret})`);
  console.log('VLE activity: Open University Learning Analytics Dataset, module AAA 2013J (Kuzilek, Hlosta & Zdrahal 2017, CC BY 4.0).');
  console.log('Press Ctrl+C to stop.');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await platform.close();
  await db.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `The demo could not start: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
