import http from 'node:http';
import { loadConfig, ConfigError } from './config';
import { createLogger } from './logger';
import { openDatabase, ensureIndexes, leaveReconnectingToTheDriver, describeDatabaseUri, type DatabaseHandle } from './store/database';
import { ALL_MODELS, RETIRED_INDEXES } from './store/all-models';
import { buildApp } from './app';
import { jobRunner } from './jobs/job-runner';
import { registerScheduledJobs } from './jobs/scheduled-jobs';
import { cancelPendingRecomputes } from './reports/recompute-soon';
import { startingApp } from './web/starting-app';
import { startDraining } from './web/health-router';
import { drainServer } from './web/http-drain';

// Requests in flight get this long to finish after SIGTERM (orchestrators usually wait 30 s before SIGKILL).
const SHUTDOWN_GRACE_MS = 25_000;

// Process entry: read config, listen at once, connect the store (waiting for it if need be), build the app, shut down cleanly.
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);

  // ltijs calls some callbacks without awaiting them: a failure there is logged, never fatal.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  // Listening before the database answers: liveness works, readiness fails and pages say why, instead of a crash loop.
  let handler: http.RequestListener = startingApp({ https: config.publicUrl.startsWith('https:') });
  let draining = false;
  const server = http.createServer((req, res) => {
    if (draining) res.setHeader('Connection', 'close');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info({ url: config.publicUrl, port: config.port }, 'Waymark is listening');

  const opened: { db?: DatabaseHandle } = {};
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    draining = true;
    startDraining();
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const { cutShort } = await drainServer(server, SHUTDOWN_GRACE_MS);
    if (cutShort) logger.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'requests still running at the end of the grace period were cut');
    // Running jobs stop at their next step and hand their leases back before the database closes.
    await jobRunner.stop().catch((err: unknown) => logger.warn({ err }, 'scheduled jobs did not stop cleanly'));
    cancelPendingRecomputes();
    await opened.db?.close().catch((err: unknown) => logger.warn({ err }, 'closing the database failed'));
    logger.info('shut down');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const db = await openDatabase({
    uri: config.mongodbUri,
    embeddedPath: config.embeddedDbPath,
    waitForServer: (attempt, err, nextDelayMs) =>
      logger.warn({ attempt, database: describeDatabaseUri(config.mongodbUri ?? ''), reason: err.message, retryInMs: nextDelayMs }, 'database unavailable at start; retrying'),
  });
  opened.db = db;
  if (closing) return;
  if (db.embedded) logger.info({ uri: db.uri }, 'started the embedded MongoDB (set MONGODB_URI to use your own)');
  await ensureIndexes(ALL_MODELS, RETIRED_INDEXES);
  const { app, lti } = await buildApp({ ...config, mongodbUri: db.uri }, logger);
  registerScheduledJobs(jobRunner, { accessToken: lti.accessToken, rosterSyncScheduleHours: config.rosterSyncScheduleHours, smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, logger });
  if (config.jobsEnabled) jobRunner.start({ logger });
  leaveReconnectingToTheDriver((err) => logger.warn({ reason: err.message }, 'database connection error; the driver keeps reconnecting'));
  handler = app;
  logger.info('database connected; serving pages');
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error('Waymark could not start:', err);
  process.exit(1);
});
